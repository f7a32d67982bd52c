import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostics, DEFAULT_FLUSH_DEADLINE_MS } from '@lookout/core';
import { createTelemetryClient } from '@lookout/telemetry';
import type { EventStore } from '@lookout/telemetry';
import { memoryTransport } from '../helpers/memoryTransport.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createTelemetryClient', () => {
  describe('flush', () => {
    it('should resolve by the default deadline when the store load never settles', async () => {
      vi.useFakeTimers();
      const store: EventStore = { save: () => true, load: () => new Promise(() => undefined), clear: () => Promise.resolve() };
      const client = createTelemetryClient({ transport: memoryTransport(), store, format: 'json', selfMetrics: false, diagnostics: createDiagnostics({ level: 'none' }) });
      let settled = false;
      void client.flush().then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(DEFAULT_FLUSH_DEADLINE_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
    });
  });
});
