import type { Diagnostics } from '@lookout/core';
import { createDiagnostics } from '@lookout/core';
import type { VitalsSource, MetricLike } from '../../src/collector/createCollector.js';

/** A scripted `web-vitals` source: tests emit metrics by hand. */
export interface FakeSource extends VitalsSource {
  emit(metric: Partial<MetricLike> & { name: string; value: number }): void;
  readonly subscribed: Array<{ name: string; options: unknown }>;
}

export function createFakeSource(summarise?: VitalsSource['summarise']): FakeSource {
  const callbacks = new Map<string, (metric: MetricLike) => void>();
  const subscribed: Array<{ name: string; options: unknown }> = [];
  const on = (name: string) => (callback: (metric: MetricLike) => void, options?: unknown) => {
    callbacks.set(name, callback);
    subscribed.push({ name, options });
  };
  let n = 0;
  const source: FakeSource = {
    onCLS: on('CLS'),
    onFCP: on('FCP'),
    onINP: on('INP'),
    onLCP: on('LCP'),
    onTTFB: on('TTFB'),
    subscribed,
    emit(metric) {
      callbacks.get(metric.name)?.({ delta: metric.value, rating: 'good', id: `v6-${++n}`, navigationType: 'navigate', ...metric });
    },
  };
  if (summarise !== undefined) source.summarise = summarise;
  return source;
}

/** Installs the page globals the collector looks for; returns a function that removes them. */
export function installFakePage(pathname = '/'): { setPath(path: string): void; restore(): void } {
  const g = globalThis as Record<string, unknown>;
  const saved = { document: g['document'], PerformanceObserver: g['PerformanceObserver'], location: g['location'] };
  const location = { pathname };
  g['document'] = { visibilityState: 'hidden' };
  g['PerformanceObserver'] = function PerformanceObserver() {};
  g['location'] = location;
  return {
    setPath(path) {
      location.pathname = path;
    },
    restore() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete g[k];
        else g[k] = v;
      }
    },
  };
}

/** Diagnostics that record what they would log. */
export function recordingDiagnostics(): { diagnostics: Diagnostics; messages: Array<{ level: string; message: string }> } {
  const messages: Array<{ level: string; message: string }> = [];
  const push = (level: string) => (message: string) => messages.push({ level, message });
  const diagnostics = createDiagnostics({ level: 'debug', logger: { error: push('error'), warn: push('warn'), info: push('info'), debug: push('debug') } });
  return { diagnostics, messages };
}
