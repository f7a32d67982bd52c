import { createDiagnostics, createMetricsRegistry, type Diagnostics, type MetricsRegistry } from '@lookout/core';

/** Diagnostics that keep every line a user would see (level warn). */
export function seen(): { diag: Diagnostics; lines: string[] } {
  const lines: string[] = [];
  const push = (m: string): void => {
    lines.push(m);
  };
  return { lines, diag: createDiagnostics({ logger: { error: push, warn: push, info: push, debug: push }, maxPerMinute: 100_000 }) };
}

/** A registry on a fake clock that starts at `start` ms; `advance(ms)` moves it. */
export function fakeClockRegistry(start = 1_700_000_000_000): { registry: MetricsRegistry; clock: { now: number }; advance(ms: number): void; diag: Diagnostics; lines: string[] } {
  const clock = { now: start };
  const { diag, lines } = seen();
  const registry = createMetricsRegistry({ now: () => clock.now, diagnostics: diag });
  return {
    registry,
    clock,
    advance(ms) {
      clock.now += ms;
    },
    diag,
    lines,
  };
}
