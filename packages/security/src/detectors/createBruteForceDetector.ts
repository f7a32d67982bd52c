import { getDiagnostics } from '@lookout/core';
import { BoundedMap } from '@lookout/core';
import type { DetectorContext } from '../types.js';

/** Default failures per key that trigger a block. */
export const DEFAULT_BRUTE_FORCE_MAX_FAILURES = 5;
/** Default sliding window the failures must fall in: 15 minutes. */
export const DEFAULT_BRUTE_FORCE_WINDOW_MS = 15 * 60_000;
/** Default time a key stays blocked: 15 minutes. */
export const DEFAULT_BLOCK_DURATION_MS = 15 * 60_000;
/** Default number of keys tracked at once (least recently used keys are forgotten past it). */
export const DEFAULT_DETECTOR_MAX_KEYS = 10_000;

/** Input of {@link createBruteForceDetector}. */
export interface BruteForceOptions extends DetectorContext {
  /** Failures inside `windowMs` that block the key. Default {@link DEFAULT_BRUTE_FORCE_MAX_FAILURES}. */
  maxFailures?: number;
  /** Sliding window, in ms. Default {@link DEFAULT_BRUTE_FORCE_WINDOW_MS}. */
  windowMs?: number;
  /** How long a key stays on the blocklist, in ms. Default {@link DEFAULT_BLOCK_DURATION_MS}. */
  blockDurationMs?: number;
  /** Keys tracked at once. Default {@link DEFAULT_DETECTOR_MAX_KEYS}. */
  maxKeys?: number;
}

/** What one recorded failure led to. */
export interface FailureResult {
  /** Failures of this key inside the window, this one included (at most `maxFailures`). */
  failures: number;
  /** Whether the key is blocked now. */
  blocked: boolean;
  /** `true` only for the failure that put the key on the blocklist. */
  justBlocked: boolean;
  /** When the block ends (epoch ms), if blocked. */
  blockedUntil?: number;
}

/** Counts failures per key in a sliding window and keeps a blocklist with expiry. Methods never throw. */
export interface BruteForceDetector {
  /** Records one failure of `key` (e.g. `user:alice`, `ip:203.0.113.7`). */
  recordFailure(key: string): FailureResult;
  /** Forgets the failures of `key` (after a successful login); a block stays until it expires. */
  recordSuccess(key: string): void;
  /** Whether `key` is on the blocklist right now. O(1). */
  isBlocked(key: string): boolean;
  /** Puts `key` on the blocklist for `durationMs` (default `blockDurationMs`). */
  block(key: string, durationMs?: number): void;
  /** Takes `key` off the blocklist and forgets its failures. */
  unblock(key: string): void;
  /** Keys blocked right now, with their expiry (epoch ms). */
  blockedKeys(): Array<{ key: string; until: number }>;
  /** Number of keys blocked right now. */
  readonly blockedCount: number;
  /**
   * Changes the thresholds at run time, keeping every key's state: blocks keep their expiry (a new
   * `blockDurationMs` applies to later blocks), and failures inside the (new) window still count
   * under the new `maxFailures`. Each key's ring is rebuilt from its failure times inside the
   * window, newest kept when it shrinks. A key already at the new threshold is blocked at its next
   * failure, so every block has a triggering event. Invalid values get one diagnostic and are kept.
   */
  configure(changes: BruteForceChanges): void;
}

/** What {@link BruteForceDetector.configure} may change; `maxKeys` is fixed at creation. */
export type BruteForceChanges = Pick<BruteForceOptions, 'maxFailures' | 'windowMs' | 'blockDurationMs'>;

interface KeyState {
  /** Ring of the last `maxFailures` failure times. */
  times: number[];
  next: number;
  count: number;
}

/** Largest `maxFailures`: each key keeps a ring of that many failure times. */
export const MAX_BRUTE_FORCE_MAX_FAILURES = 10_000;

/**
 * Creates a brute-force detector: `maxFailures` failures of one key inside `windowMs` block the
 * key for `blockDurationMs`. The window slides: each key keeps the times of its last
 * `maxFailures` failures in a ring, so a record is O(1) and memory per key is bounded; at most
 * `maxKeys` keys are tracked (least recently used forgotten first). Invalid options are reported
 * once and replaced by defaults.
 */
export function createBruteForceDetector(options: BruteForceOptions = {}): BruteForceDetector {
  const o = options ?? {};
  const diag = o.diagnostics ?? getDiagnostics();
  const positive = (value: unknown, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 1) return Math.floor(value);
    diag.warn('security/invalid-options', `createBruteForceDetector: ${name} must be a number of at least 1; ${fallback} is used`, `bruteforce:${name}`);
    return fallback;
  };
  /** `maxFailures` sizes a ring per key: above {@link MAX_BRUTE_FORCE_MAX_FAILURES} it is refused, not allocated. */
  const failuresLimit = (value: unknown, fallback: number): number => {
    const n = positive(value, fallback, 'maxFailures');
    if (n <= MAX_BRUTE_FORCE_MAX_FAILURES) return n;
    diag.warn('security/invalid-options', `createBruteForceDetector: maxFailures must be at most ${MAX_BRUTE_FORCE_MAX_FAILURES}; ${fallback} is used`, 'bruteforce:maxFailures');
    return fallback;
  };
  let maxFailures = failuresLimit(o.maxFailures, DEFAULT_BRUTE_FORCE_MAX_FAILURES);
  let windowMs = positive(o.windowMs, DEFAULT_BRUTE_FORCE_WINDOW_MS, 'windowMs');
  let blockDurationMs = positive(o.blockDurationMs, DEFAULT_BLOCK_DURATION_MS, 'blockDurationMs');
  const maxKeys = positive(o.maxKeys, DEFAULT_DETECTOR_MAX_KEYS, 'maxKeys');
  const now = typeof o.now === 'function' ? o.now : Date.now;
  const failures = new BoundedMap<string, KeyState>(maxKeys);
  const blocked = new BoundedMap<string, number>(maxKeys);

  const blockedUntil = (key: string, t: number): number | undefined => {
    const until = blocked.get(key);
    if (until === undefined) return undefined;
    if (until > t) return until;
    blocked.delete(key);
    return undefined;
  };

  /** Re-sizes every ring to `maxFailures`, keeping the newest failure times inside the window. */
  const resizeRings = (t: number): void => {
    for (const [key, state] of [...failures.entries()]) {
      const size = state.times.length;
      // Oldest first: a full ring starts at `next`, a partial one at 0.
      const ordered = state.count < size ? state.times.slice(0, state.count) : [...state.times.slice(state.next), ...state.times.slice(0, state.next)];
      const kept = ordered.filter((at) => t - at < windowMs).slice(-maxFailures);
      if (kept.length === 0) {
        failures.delete(key);
        continue;
      }
      const times = new Array<number>(maxFailures).fill(0);
      for (let i = 0; i < kept.length; i++) times[i] = kept[i] as number;
      state.times = times;
      state.count = kept.length;
      state.next = kept.length % maxFailures;
    }
  };

  return {
    configure(changes) {
      try {
        if (changes === null || typeof changes !== 'object') return;
        const previousMax = maxFailures;
        maxFailures = failuresLimit(changes.maxFailures, maxFailures);
        windowMs = positive(changes.windowMs, windowMs, 'windowMs');
        blockDurationMs = positive(changes.blockDurationMs, blockDurationMs, 'blockDurationMs');
        if (maxFailures !== previousMax) resizeRings(now());
      } catch (error) {
        diag.internalError(error, 'bruteForce.configure');
      }
    },
    recordFailure(key) {
      try {
        if (typeof key !== 'string') return { failures: 0, blocked: false, justBlocked: false };
        const t = now();
        let state = failures.touch(key);
        if (state === undefined) {
          state = { times: new Array<number>(maxFailures).fill(0), next: 0, count: 0 };
          failures.set(key, state);
        }
        state.times[state.next] = t;
        state.next = (state.next + 1) % maxFailures;
        if (state.count < maxFailures) state.count++;
        // Failures still inside the window: the ring holds them newest-last from `next`.
        let inWindow = 0;
        for (let i = 0; i < state.count; i++) if (t - (state.times[i] as number) < windowMs) inWindow++;
        const already = blockedUntil(key, t);
        if (already !== undefined) return { failures: inWindow, blocked: true, justBlocked: false, blockedUntil: already };
        if (inWindow >= maxFailures) {
          const until = t + blockDurationMs;
          blocked.set(key, until);
          failures.delete(key);
          return { failures: inWindow, blocked: true, justBlocked: true, blockedUntil: until };
        }
        return { failures: inWindow, blocked: false, justBlocked: false };
      } catch (error) {
        diag.internalError(error, 'bruteForce.recordFailure');
        return { failures: 0, blocked: false, justBlocked: false };
      }
    },
    recordSuccess(key) {
      if (typeof key === 'string') failures.delete(key);
    },
    isBlocked(key) {
      try {
        return typeof key === 'string' && blockedUntil(key, now()) !== undefined;
      } catch {
        return false;
      }
    },
    block(key, durationMs) {
      if (typeof key !== 'string') return;
      const d = typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs > 0 ? durationMs : blockDurationMs;
      blocked.set(key, now() + d);
    },
    unblock(key) {
      if (typeof key !== 'string') return;
      blocked.delete(key);
      failures.delete(key);
    },
    blockedKeys() {
      const t = now();
      blocked.sweep((until) => until <= t);
      return [...blocked.entries()].map(([key, until]) => ({ key, until }));
    },
    get blockedCount() {
      const t = now();
      blocked.sweep((until) => until <= t);
      return blocked.size;
    },
  };
}
