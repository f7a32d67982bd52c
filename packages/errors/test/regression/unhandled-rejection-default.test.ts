import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureScript, runFixture } from '../helpers/runFixture.js';
import type { FixtureRun } from '../helpers/runFixture.js';

let script: string;
beforeAll(async () => {
  script = await fixtureScript('unhandledRejection');
});

const run = (nodeArgs: string[], args: string[], nodeOptions = ''): Promise<FixtureRun> => runFixture(script, args, { nodeArgs, env: { NODE_OPTIONS: nodeOptions } });

/** What Node itself does: exit code, whether the process outlived the rejection, whether it warned. */
const outcome = (r: FixtureRun) => ({ code: r.code, alive: r.stdout.includes('still alive'), warned: r.stderr.includes('UnhandledPromiseRejectionWarning') });

const FLAG_FORMS: [string, string[], string][] = [
  ['no flag', [], ''],
  ['--unhandled-rejections=warn', ['--unhandled-rejections=warn'], ''],
  ['--unhandled-rejections warn', ['--unhandled-rejections', 'warn'], ''],
  ['NODE_OPTIONS=--unhandled-rejections=warn', [], '--unhandled-rejections=warn'],
  ['NODE_OPTIONS=--unhandled-rejections none', [], '--unhandled-rejections none'],
  ['NODE_OPTIONS warn, command line throw', ['--unhandled-rejections=throw'], '--unhandled-rejections=warn'],
  ['--unhandled_rejections=none', ['--unhandled_rejections=none'], ''],
  ['--unhandled-rejections=warn-with-error-code', ['--unhandled-rejections=warn-with-error-code'], ''],
  ['--unhandled-rejections strict', ['--unhandled-rejections', 'strict'], ''],
];

describe('installGlobalHandlers (regression: unhandledRejection "default" changed what Node does)', () => {
  it.each(FLAG_FORMS)('should exit, warn and live on exactly as Node does, with one or two trackers, under %s', async (_name, nodeArgs, nodeOptions) => {
    const plain = outcome(await run(nodeArgs, ['0'], nodeOptions));
    const one = await run(nodeArgs, ['1'], nodeOptions);
    const two = await run(nodeArgs, ['2'], nodeOptions);
    expect(outcome(one)).toEqual(plain);
    expect(outcome(two)).toEqual(plain);
    // Every tracker captured the rejection, once.
    expect(one.stdout.match(/captured 0 unhandledRejection boom/g)).toHaveLength(1);
    expect(two.stdout.match(/captured 0 unhandledRejection boom/g)).toHaveLength(1);
    expect(two.stdout.match(/captured 1 unhandledRejection boom/g)).toHaveLength(1);
  });

  it("should leave the rejection to the host's own listener", async () => {
    const plain = outcome(await run([], ['0', 'host']));
    const two = await run([], ['2', 'host']);
    expect(plain).toMatchObject({ code: 0, alive: true });
    expect(outcome(two)).toEqual(plain);
  });
});
