import { getDiagnostics } from '@lookout/core';
import { BoundedMap } from '@lookout/core';
import { DEFAULT_DETECTOR_MAX_KEYS } from './createBruteForceDetector.js';
import type { DetectorContext } from '../types.js';

/** Default distinct failing sources against one target that make an attack. */
export const DEFAULT_COORDINATED_MIN_SOURCES = 10;
/** Default window for coordinated attempts: 10 minutes. */
export const DEFAULT_COORDINATED_WINDOW_MS = 10 * 60_000;
/** Most sources remembered per target; enough to pass any sensible threshold. */
const MAX_SOURCES_PER_TARGET = 1000;

/** Input of {@link createCoordinatedDetector}. */
export interface CoordinatedOptions extends DetectorContext {
  /** Distinct sources failing against one target inside the window that trigger. Default {@link DEFAULT_COORDINATED_MIN_SOURCES}. */
  minSources?: number;
  /** Sliding window, in ms. Default {@link DEFAULT_COORDINATED_WINDOW_MS}. */
  windowMs?: number;
  /** Targets tracked at once. Default {@link DEFAULT_DETECTOR_MAX_KEYS}. */
  maxTargets?: number;
}

/** What one recorded failure led to. */
export interface CoordinatedResult {
  /** Distinct sources that failed against the target inside the window. */
  sources: number;
  /** `true` for the failure that crossed `minSources`; a target triggers at most once per `windowMs`. */
  triggered: boolean;
}

/** Detects many keys (IPs, users) failing against one target. Methods never throw. */
export interface CoordinatedDetector {
  /** Records that `source` failed against `target`. */
  recordFailure(target: string, source: string): CoordinatedResult;
  /** Distinct failing sources against `target` inside the window. */
  sourcesFor(target: string): number;
  /**
   * Changes `minSources` and `windowMs` at run time, keeping every target's sources and when it
   * last triggered. Invalid values get one diagnostic and are kept.
   */
  configure(changes: Pick<CoordinatedOptions, 'minSources' | 'windowMs'>): void;
}

interface TargetState {
  /** Source → time of its last failure. */
  sources: Map<string, number>;
  /** When this target last triggered; no new trigger while that attack is still in the window. */
  triggeredAt: number;
}

/**
 * Creates a detector of coordinated attempts (credential stuffing, password spraying): it
 * triggers when `minSources` distinct sources fail against one target inside `windowMs`, at most
 * once per `windowMs` per target, so an ongoing attack raises one event per window.
 */
export function createCoordinatedDetector(options: CoordinatedOptions = {}): CoordinatedDetector {
  const o = options ?? {};
  const diag = o.diagnostics ?? getDiagnostics();
  const positive = (value: unknown, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
    diag.warn('security/invalid-options', `createCoordinatedDetector: ${name} must be a positive number; ${fallback} is used`, `coordinated:${name}`);
    return fallback;
  };
  let minSources = Math.min(positive(o.minSources, DEFAULT_COORDINATED_MIN_SOURCES, 'minSources'), MAX_SOURCES_PER_TARGET);
  let windowMs = positive(o.windowMs, DEFAULT_COORDINATED_WINDOW_MS, 'windowMs');
  const now = typeof o.now === 'function' ? o.now : Date.now;
  const targets = new BoundedMap<string, TargetState>(positive(o.maxTargets, DEFAULT_DETECTOR_MAX_KEYS, 'maxTargets'));

  const prune = (state: TargetState, t: number): void => {
    for (const [source, at] of state.sources) {
      if (t - at >= windowMs) state.sources.delete(source);
      else break; // Map order is last-failure order: the rest are newer.
    }
  };

  return {
    configure(changes) {
      if (changes === null || typeof changes !== 'object') return;
      minSources = Math.min(positive(changes.minSources, minSources, 'minSources'), MAX_SOURCES_PER_TARGET);
      windowMs = positive(changes.windowMs, windowMs, 'windowMs');
    },
    recordFailure(target, source) {
      try {
        if (typeof target !== 'string' || typeof source !== 'string') return { sources: 0, triggered: false };
        const t = now();
        let state = targets.touch(target);
        if (state === undefined) {
          state = { sources: new Map(), triggeredAt: -Infinity };
          targets.set(target, state);
        }
        state.sources.delete(source);
        state.sources.set(source, t);
        prune(state, t);
        if (state.sources.size > MAX_SOURCES_PER_TARGET) {
          const oldest = state.sources.keys().next();
          if (oldest.done !== true) state.sources.delete(oldest.value);
        }
        const count = state.sources.size;
        if (count >= minSources && t - state.triggeredAt >= windowMs) {
          state.triggeredAt = t;
          return { sources: count, triggered: true };
        }
        return { sources: count, triggered: false };
      } catch (error) {
        diag.internalError(error, 'coordinated.recordFailure');
        return { sources: 0, triggered: false };
      }
    },
    sourcesFor(target) {
      const state = typeof target === 'string' ? targets.get(target) : undefined;
      if (state === undefined) return 0;
      prune(state, now());
      return state.sources.size;
    },
  };
}
