#!/usr/bin/env node
// An app using the library, with and without an SDK:
//   node examples/library/app.mjs            no SDK: the library's records go nowhere
//   node examples/library/app.mjs --with-sdk initMonitoring(): the same records are exported
import { renderPrometheus, getDefaultRegistry } from '@lookout/core';
import { countWords, summarise } from './lib.mjs';

const withSdk = process.argv.includes('--with-sdk');
if (withSdk) {
  const { initMonitoring } = await import('@lookout/node');
  initMonitoring({ serviceName: 'library-example', runtimeMetrics: false });
}

const text = 'Lookout instruments libraries without making them pick an exporter for the app';
process.stdout.write(`words: ${countWords(text)}\nsummary: ${await summarise(text)}\n`);
await summarise(42).catch((error) => process.stdout.write(`error passed through unchanged: ${error.name}\n`));

const exposition = await renderPrometheus(getDefaultRegistry());
const calls = exposition.split('\n').filter((l) => l.startsWith('textkit_function_calls_total'));
const total = calls.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
process.stdout.write(withSdk ? `exported (${total} calls):\n${calls.join('\n')}\n` : `without an SDK nothing was recorded (${total} calls counted)\n`);
