import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureScript, runFixture } from '../helpers/runFixture.js';

let script: string;
beforeAll(async () => {
  script = await fixtureScript('doubleCapture');
});

describe('createErrorTracker (regression: the same thrown object reported twice)', () => {
  it('should record each thrown object once, whether captured by retry, by hand or by the global handlers', async () => {
    const run = await runFixture(script, []);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const records = lines.filter((l) => 'mechanism' in l);
    expect(records.map((r) => r['mechanism']).sort()).toEqual(['manual', 'retry']);
    // A second capture of the same object gives the first record's id.
    expect(lines).toContainEqual({ again: true });
    expect(run.code).toBe(0);
  });
});
