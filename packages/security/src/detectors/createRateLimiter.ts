import { getDiagnostics } from '@lookout/core';
import { BoundedMap } from '@lookout/core';
import { DEFAULT_DETECTOR_MAX_KEYS } from './createBruteForceDetector.js';
import type { DetectorContext } from '../types.js';

/** Default requests allowed per key per window. */
export const DEFAULT_RATE_LIMIT = 100;
/** Default rate-limit window: 1 minute. */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;

/** Input of {@link createRateLimiter}. */
export interface RateLimiterOptions extends DetectorContext {
  /** Requests allowed per key in any window of `windowMs`. Default {@link DEFAULT_RATE_LIMIT}. */
  limit?: number;
  /** Window length in ms. Default {@link DEFAULT_RATE_LIMIT_WINDOW_MS}. */
  windowMs?: number;
  /** Keys tracked at once. Default {@link DEFAULT_DETECTOR_MAX_KEYS}. */
  maxKeys?: number;
}

/** A per-key rate limiter. Methods never throw. */
export interface RateLimiter {
  /**
   * Takes `cost` (default 1) from `key`'s allowance. Returns `true` when allowed, `false` when
   * the key is over its limit (nothing is taken then).
   */
  take(key: string, cost?: number): boolean;
  /** Requests `key` may still make in the current window (an estimate, see {@link createRateLimiter}). */
  remaining(key: string): number;
  /** Forgets `key`. */
  reset(key: string): void;
  /**
   * Changes `limit` and `windowMs` at run time. Each key keeps what it has used: on a new
   * `windowMs`, the use estimated under the old window is carried into the current new window.
   * Invalid values get one diagnostic and are kept.
   */
  configure(changes: Pick<RateLimiterOptions, 'limit' | 'windowMs'>): void;
}

interface WindowState {
  /** Start of the current fixed window (epoch ms, a multiple of windowMs). */
  start: number;
  current: number;
  previous: number;
}

/**
 * Creates a rate limiter using the sliding-window counter: each key keeps the counts of the
 * current and the previous fixed window, and the rate is `previous × (part of the previous
 * window still inside the sliding window) + current`. O(1) time and two numbers per key; the
 * estimate assumes the previous window's requests were evenly spread.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const o = options ?? {};
  const diag = o.diagnostics ?? getDiagnostics();
  const positive = (value: unknown, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    diag.warn('security/invalid-options', `createRateLimiter: ${name} must be a positive number; ${fallback} is used`, `ratelimit:${name}`);
    return fallback;
  };
  let limit = positive(o.limit, DEFAULT_RATE_LIMIT, 'limit');
  let windowMs = positive(o.windowMs, DEFAULT_RATE_LIMIT_WINDOW_MS, 'windowMs');
  const maxKeys = Math.floor(positive(o.maxKeys, DEFAULT_DETECTOR_MAX_KEYS, 'maxKeys'));
  const now = typeof o.now === 'function' ? o.now : Date.now;
  const states = new BoundedMap<string, WindowState>(maxKeys);

  const used = (key: string, t: number): { state: WindowState; used: number } => {
    const start = Math.floor(t / windowMs) * windowMs;
    let state = states.touch(key);
    if (state === undefined) {
      state = { start, current: 0, previous: 0 };
      states.set(key, state);
    } else if (state.start !== start) {
      state.previous = state.start === start - windowMs ? state.current : 0;
      state.current = 0;
      state.start = start;
    }
    const weight = 1 - (t - start) / windowMs;
    return { state, used: state.previous * weight + state.current };
  };

  return {
    configure(changes) {
      try {
        if (changes === null || typeof changes !== 'object') return;
        limit = positive(changes.limit, limit, 'limit');
        const nextWindowMs = positive(changes.windowMs, windowMs, 'windowMs');
        if (nextWindowMs === windowMs) return;
        const t = now();
        const carried = [...states.entries()].map(([key]) => [key, used(key, t).used] as const);
        windowMs = nextWindowMs;
        const start = Math.floor(t / windowMs) * windowMs;
        for (const [key, u] of carried) {
          const state = states.get(key);
          if (state !== undefined) Object.assign(state, { start, current: u, previous: 0 });
        }
      } catch (error) {
        diag.internalError(error, 'rateLimiter.configure');
      }
    },
    take(key, cost = 1) {
      try {
        if (typeof key !== 'string') return true;
        const c = typeof cost === 'number' && Number.isFinite(cost) && cost > 0 ? cost : 1;
        const { state, used: u } = used(key, now());
        if (u + c > limit) return false;
        state.current += c;
        return true;
      } catch (error) {
        diag.internalError(error, 'rateLimiter.take');
        return true;
      }
    },
    remaining(key) {
      if (typeof key !== 'string') return limit;
      return Math.max(0, Math.floor(limit - used(key, now()).used));
    },
    reset(key) {
      if (typeof key === 'string') states.delete(key);
    },
  };
}
