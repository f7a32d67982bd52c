// Shared timing helpers for the benchmark scenarios. Each scenario runs in its own process.

/** Runs `fn(iterations)` for `rounds` rounds after a warm-up and returns the median ns per op. */
export function timeOps(fn, { iterations = 2_000_000, rounds = 9, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) fn(iterations);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn(iterations);
    samples.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  return median(samples);
}

/** Times an async function `rounds` times and returns the median in ms. */
export async function timeAsync(fn, { rounds = 15, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Label sets shared by every library in a scenario: 3 labels, `count` distinct combinations. */
export function labelSets(count) {
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push({ method: methods[i % 4], route: `/api/r${i % 25}`, status: String(200 + (i % 7)) });
  }
  return out;
}

export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Keeps results observable so the optimiser cannot drop the measured work. */
export let sink = 0;
export function consume(v) {
  sink += typeof v === 'number' ? v : 1;
}
