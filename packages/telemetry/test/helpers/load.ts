import type { TelemetryClient } from '@lookout/telemetry';

/** Tracks `rate` events per second for `durationMs`, in 10 ms ticks; resolves with the ids accepted and the count tracked. */
export async function trackAtRate(client: TelemetryClient, rate: number, durationMs: number, name = 'load'): Promise<{ tracked: number; accepted: string[] }> {
  const accepted: string[] = [];
  let tracked = 0;
  const started = Date.now();
  while (Date.now() - started < durationMs) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (tracked < due) {
      const id = client.track(name, { n: tracked });
      tracked++;
      if (id !== undefined) accepted.push(id);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { tracked, accepted };
}

/** Sum of every drop reason. */
export function totalDropped(client: TelemetryClient): number {
  return Object.values(client.stats.dropped).reduce((a, b) => a + b, 0);
}
