import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../../testing/backends.js';
import { createRuntimeMetrics } from '../../src/runtime/createRuntimeMetrics.js';

describe('createRuntimeMetrics', () => {
  describe('exposition', () => {
    it('should export OTel semantic-convention names that pass promtool check metrics', async () => {
      const registry = createMetricsRegistry();
      const runtime = createRuntimeMetrics(registry, { eventLoopResolutionMs: 10, gc: true, diskPaths: { tmp: '/tmp/does/not/exist/yet' } }, createDiagnostics({ level: 'none' }));
      // The event-loop and GC samplers start 100 ms in (off the startup path); then some loop
      // delay and a GC, so every family has samples.
      await new Promise((r) => setTimeout(r, 160));
      (globalThis as { gc?: () => void }).gc?.();
      const garbage = Array.from({ length: 200_000 }, (_, i) => ({ i }));
      expect(garbage.length).toBe(200_000);
      await new Promise((r) => setTimeout(r, 30));
      const text = await renderPrometheus(registry);
      runtime.stop();
      for (const family of [
        'process_cpu_time_seconds_total{cpu_mode="user"}',
        'process_cpu_utilization{cpu_mode="system"}',
        'process_memory_usage_bytes',
        'v8js_memory_heap_used_bytes{v8js_heap_space_name="old_space"}',
        'v8js_memory_heap_limit_bytes',
        'v8js_memory_heap_space_available_size_bytes',
        'nodejs_eventloop_delay_p99_seconds',
        'nodejs_eventloop_delay_p50_seconds',
        'nodejs_eventloop_utilization',
        'nodejs_eventloop_time_seconds_total{nodejs_eventloop_state="active"}',
        'nodejs_active_handles{type=',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type=',
        'system_filesystem_usage_bytes{system_filesystem_state="free",name="tmp"',
        'system_filesystem_utilization{name="tmp"',
      ]) {
        expect(text, family).toContain(family);
      }
      expect(promtoolCheckMetrics(text).problems).toEqual([]);
    });
  });

  describe('stop', () => {
    it('should not keep the process alive: a process that only starts runtime metrics exits at once', async () => {
      const { runNode } = await import('../helpers/runNode.js');
      const run = await runNode(['--input-type=module', '-e', "import { createMetricsRegistry, createDiagnostics } from '@lookout/core'; import { createRuntimeMetrics } from '@lookout/node'; createRuntimeMetrics(createMetricsRegistry(), { eventLoopResolutionMs: 10, gc: true, diskPaths: {} }, createDiagnostics());"], {});
      expect(run.code, run.stderr).toBe(0);
      expect(run.ms).toBeLessThan(3000);
    });
  });
});
