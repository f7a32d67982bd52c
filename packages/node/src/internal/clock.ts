/**
 * Monotonic milliseconds from `process.hrtime()`. Node's global `performance` is a lazy getter
 * that loads node:perf_hooks (about half a millisecond of startup): Lookout's startup path reads
 * this clock instead, and `performance` only once the samplers start.
 */
export function nowMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/** Seconds since the process started (the start-up metric's value), without node:perf_hooks. */
export function processUptimeS(): number {
  return process.uptime();
}
