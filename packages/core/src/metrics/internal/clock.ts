interface PerformanceLike {
  now(): number;
}

/** Monotonic milliseconds: `performance.now()` where it exists (browsers, Node ≥ 16), else `Date.now()`. */
export function monotonicMs(): number {
  const perf = (globalThis as { performance?: PerformanceLike }).performance;
  return perf !== undefined ? perf.now() : Date.now();
}

/** `Symbol.dispose`, or the well-known fallback that TypeScript and esbuild use for `using`. */
export const DISPOSE: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
