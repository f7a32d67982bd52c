import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promtoolCheckRules } from '../../../testing/backends.js';
import { CLI_EXIT, runLookoutCli } from '../src/cli/index.js';

function io(): { io: Parameters<typeof runLookoutCli>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {} }, out: () => out, err: () => err };
}

describe('lookout generate, report and dev', () => {
  it('should list the new commands in --help', async () => {
    const run = io();
    expect(await runLookoutCli(['--help'], run.io)).toBe(CLI_EXIT.OK);
    for (const command of ['generate prometheus-rules', 'report', 'dev']) expect(run.out()).toContain(command);
  });

  it('should generate alerting rules from the presets that promtool accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-generate-'));
    const file = join(dir, 'rules.yml');
    const run = io();
    const code = await runLookoutCli(['generate', 'prometheus-rules', '--preset', 'all', '--out', file], run.io);
    expect(run.err()).toBe('');
    expect(code).toBe(CLI_EXIT.OK);
    expect(readFileSync(file, 'utf8')).toContain('histogram_quantile');
    expect(promtoolCheckRules(file).problems).toEqual([]);
  });

  it('should fail generate with exit code 2 on an unknown target', async () => {
    const run = io();
    expect(await runLookoutCli(['generate', 'nothing'], run.io)).toBe(2);
    expect(run.err()).toContain('lookout generate');
  });

  it('should print report usage', async () => {
    const run = io();
    expect(await runLookoutCli(['report', '--help'], run.io)).toBe(CLI_EXIT.OK);
    expect(run.out()).toContain('report');
  });

  it('should start the viewer, print its URL with the token and its endpoints, and stop after --duration', async () => {
    const run = io();
    const code = await runLookoutCli(['dev', '--port', '0', '--duration', '1'], run.io);
    expect(run.err()).toBe('');
    expect(code).toBe(CLI_EXIT.OK);
    expect(run.out()).toMatch(/Lookout viewer: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
    expect(run.out()).toContain('OTLP/HTTP logs:');
  });
});
