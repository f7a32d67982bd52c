import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runNode } from '../helpers/runNode.js';

describe('initMonitoring', () => {
  beforeAll(() => requireBuilt('core', 'node'));

  describe('shutdown', () => {
    it("should send a worker thread's final report to the primary", async () => {
      const run = await runNode(['packages/node/test/fixtures/workerShutdown.mjs'], {});
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe('fixture_thread_jobs_total 8');
    });
  });
});
