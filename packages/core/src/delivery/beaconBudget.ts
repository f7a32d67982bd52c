import { DEFAULT_BEACON_BUDGET_BYTES } from './constants.js';
import { bodyBytes } from './utf8Length.js';
import type { EncodedBatch } from './types.js';

/**
 * Bytes a page may have in flight through `sendBeacon` and `fetch(…, { keepalive: true })`
 * together. Browsers refuse a keepalive body once the page's in-flight total would pass 64 KiB,
 * so every Lookout signal flushing on page hide shares one budget instead of each assuming the
 * whole of it.
 */
export interface BeaconBudget {
  /** The budget, in bytes. */
  readonly limitBytes: number;
  /** Bytes reserved and not yet released. */
  readonly usedBytes: number;
  /** `limitBytes - usedBytes`. */
  readonly availableBytes: number;
  /**
   * Reserves `bytes` for one request. Returns `false` (reserving nothing) when they do not fit
   * or `bytes` is not a non-negative finite number.
   */
  reserve(bytes: number): boolean;
  /**
   * Returns bytes reserved earlier, when their keepalive request completed. A `sendBeacon` body
   * is never known to complete, so beacons are not released. Never goes below zero.
   */
  release(bytes: number): void;
}

/** Creates an independent budget of `limitBytes` (default {@link DEFAULT_BEACON_BUDGET_BYTES}). */
export function createBeaconBudget(limitBytes: number = DEFAULT_BEACON_BUDGET_BYTES): BeaconBudget {
  const limit = Number.isFinite(limitBytes) && limitBytes >= 0 ? limitBytes : DEFAULT_BEACON_BUDGET_BYTES;
  let used = 0;
  const valid = (bytes: number): boolean => typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0;
  return {
    limitBytes: limit,
    get usedBytes() {
      return used;
    },
    get availableBytes() {
      return limit - used;
    },
    reserve(bytes) {
      if (!valid(bytes) || used + bytes > limit) return false;
      used += bytes;
      return true;
    },
    release(bytes) {
      if (valid(bytes)) used = Math.max(0, used - bytes);
    },
  };
}

const PAGE_BUDGET_KEY = Symbol.for('@lookout/core:beacon-budget@1');

/**
 * The page-wide budget every Lookout package shares; created on first use, never at import.
 * Kept on `globalThis`, so every copy of core on a page (ESM and CJS builds, or `@lookout/core`
 * and `@lookout/core/page`) shares the one budget the browser enforces.
 */
export function getBeaconBudget(): BeaconBudget {
  const slot = globalThis as unknown as Record<symbol, BeaconBudget | undefined>;
  return (slot[PAGE_BUDGET_KEY] ??= createBeaconBudget());
}

/** One chunk of {@link splitForBudget}: its items and their encoding, under the byte limit. */
export interface BudgetChunk<T> {
  items: T[];
  encoded: EncodedBatch;
  /** Size of `encoded.body` in bytes. */
  bytes: number;
}

/** Result of {@link splitForBudget}. */
export interface BudgetSplit<T> {
  /** Chunks in item order, each `bytes <= maxBytes`. */
  chunks: BudgetChunk<T>[];
  /** Items whose encoding alone exceeds `maxBytes`: to be counted as dropped `too_large`. */
  tooLarge: T[];
  /** Items `encode` threw on: to be counted as dropped `invalid`. */
  invalid: T[];
}

/**
 * Splits `items` into chunks whose encoded body is at most `maxBytes` each, keeping item order.
 * It encodes the whole list and halves any part that does not fit, so it calls `encode`
 * O(n log n) times at worst and once when everything fits. Never throws; the caller counts
 * `tooLarge` and `invalid` with `BatchQueue.recordDrop`.
 */
export function splitForBudget<T>(
  items: readonly T[],
  encode: (items: readonly T[]) => EncodedBatch,
  maxBytes: number,
): BudgetSplit<T> {
  const result: BudgetSplit<T> = { chunks: [], tooLarge: [], invalid: [] };
  const limit = Number.isFinite(maxBytes) ? maxBytes : 0;
  // An explicit stack instead of recursion: item order is kept by pushing the right half first.
  const stack: T[][] = items.length > 0 ? [items.slice()] : [];
  while (stack.length > 0) {
    const part = stack.pop() as T[];
    let encoded: EncodedBatch | undefined;
    try {
      encoded = encode(part);
    } catch {
      encoded = undefined;
    }
    const bytes = encoded === undefined ? Infinity : safeBodyBytes(encoded);
    if (encoded !== undefined && bytes <= limit) {
      result.chunks.push({ items: part, encoded, bytes });
    } else if (part.length === 1) {
      (encoded === undefined || Number.isNaN(bytes) ? result.invalid : result.tooLarge).push(part[0] as T);
    } else {
      const middle = Math.ceil(part.length / 2);
      stack.push(part.slice(middle), part.slice(0, middle));
    }
  }
  return result;
}

function safeBodyBytes(encoded: EncodedBatch): number {
  try {
    return bodyBytes(encoded.body);
  } catch {
    return Number.NaN;
  }
}
