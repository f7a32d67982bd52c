/** Prometheus duration syntax: one or more `<number><unit>`, largest unit first (`1h30m`, `500ms`). */
export const DURATION_PATTERN = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Milliseconds of a duration (a number of ms, or `'5m'`), or undefined when it is neither. */
export function parseDuration(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  if (typeof input !== 'string' || input.length > 64 || !DURATION_PATTERN.test(input)) return undefined;
  let ms = 0;
  for (const [, n, unit] of input.matchAll(PART)) ms += Number(n) * UNIT_MS[unit!]!;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Prometheus duration of `ms` (`90000` → `'1m30s'`, `0` → `'0s'`), exact to the millisecond. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  if (rest === 0) return '0s';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
