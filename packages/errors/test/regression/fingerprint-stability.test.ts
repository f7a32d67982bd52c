import { describe, expect, it } from 'vitest';
import { createErrorTracker, defaultIsInApp, parseStack } from '@lookout/errors';
import { normaliseMessage } from '../../src/grouping/fingerprint.js';
import { memorySink } from '../helpers/memorySink.js';

async function loadUser(id: number): Promise<never> {
  await null;
  throw new Error(`user ${id} not found`);
}
async function handler(position: number): Promise<void> {
  const ids = position === 0 ? [1, 2, 3] : [2, 1, 3];
  await Promise.all(ids.map((id) => (id === 1 ? loadUser(id) : Promise.resolve(id))));
}
async function getConfig(cached: boolean): Promise<never> {
  if (!cached) await null;
  throw new Error('config db invalid');
}
async function route(cached: boolean): Promise<never> {
  return await getConfig(cached);
}

async function groupsOf(runs: (() => Promise<unknown>)[]): Promise<number> {
  const sink = memorySink();
  const tracker = createErrorTracker({ sinks: [sink] });
  for (const run of runs) await run().catch((error: unknown) => tracker.captureError(error));
  expect(sink.records).toHaveLength(runs.length);
  return new Set(sink.records.map((r) => r.fingerprint)).size;
}

describe('fingerprint (regression: one error split into several groups)', () => {
  it('should group a failure alike whatever its position in Promise.all', async () => {
    expect(await groupsOf([() => handler(0), () => handler(1)])).toBe(1);
  });

  it("should group alike with and without V8's async prefix", async () => {
    // The frames V8 gives `route` after a cache hit (no await yet) and after a miss.
    const thrown = (routeFrame: string) => ({
      name: 'Error',
      message: 'config db invalid',
      stack: `Error: config db invalid\n    at getConfig (/srv/app/config.js:5:9)\n    at ${routeFrame} (/srv/app/routes.js:9:3)\n    at /srv/app/server.js:1:1`,
    });
    expect(await groupsOf([() => Promise.reject(thrown('route')), () => Promise.reject(thrown('async route'))])).toBe(1);
    expect(await groupsOf([async () => await route(true), async () => await route(false)])).toBe(1);
  });

  it('should read `Promise.all (index N)` as a built-in frame, and drop async prefixes', () => {
    const stack = 'Error: x\n    at async Promise.all (index 3)\n    at async route (/srv/app/a.js:1:2)';
    expect(parseStack(stack, 10, defaultIsInApp, 'x')).toEqual([
      { function: 'Promise.all', filename: '<native>', inApp: false },
      { function: 'route', filename: '/srv/app/a.js', lineno: 1, colno: 2, inApp: true },
    ]);
    expect(parseStack('async*route@https://a.io/a.js:1:2', 10, defaultIsInApp)[0]?.function).toBe('route');
  });

  it('should normalise decimal numbers alike whatever their length, and keep hex ids apart', () => {
    expect(normaliseMessage('Order 99999 not found')).toBe(normaliseMessage('Order 100000 not found'));
    expect(normaliseMessage('Order 1234567890123 not found')).toBe('Order <n> not found');
    expect(normaliseMessage('object a1b2c3d4 and 0x1f2e3d missing')).toBe('object <hex> and <hex> missing');
    expect(normaliseMessage('decade facade')).toBe('decade facade');
  });
});
