import { BoundedMap } from '@lookout/core';

/** Sub-buckets per window: the sliding window moves in steps of `windowMs / SLOTS`. */
const SLOTS = 10;

interface Window {
  counts: Uint32Array;
  /** Absolute index of the newest slot. */
  head: number;
  total: number;
  lastFired: number;
}

/**
 * Counts occurrences per key over a sliding window (10 slots) and says when a key crosses its
 * threshold, at most once per `cooldownMs` per key. Keys are bounded: past `maxKeys` the least
 * recently used is forgotten. O(1) amortised per record.
 */
export class SpikeDetector {
  private readonly _windows: BoundedMap<string, Window>;
  private readonly _slotMs: number;

  constructor(
    private readonly _windowMs: number,
    private readonly _cooldownMs: number,
    private readonly _maxKeys: number,
  ) {
    this._slotMs = Math.max(1, _windowMs / SLOTS);
    this._windows = new BoundedMap(this._maxKeys);
  }

  /** Counts one occurrence; returns the count in the window when this crossed `threshold` (and not in cooldown), else `undefined`. */
  record(key: string, threshold: number, now: number): number | undefined {
    const slot = Math.floor(now / this._slotMs);
    const w = this._windows.upsert(key, () => ({ counts: new Uint32Array(SLOTS), head: slot, total: 0, lastFired: -Infinity }));
    this._advance(w, slot);
    w.counts[slot % SLOTS] = (w.counts[slot % SLOTS] ?? 0) + 1;
    w.total++;
    if (w.total >= threshold && now - w.lastFired >= this._cooldownMs) {
      w.lastFired = now;
      return w.total;
    }
    return undefined;
  }

  get windowMs(): number {
    return this._windowMs;
  }

  private _advance(w: Window, slot: number): void {
    if (slot <= w.head) return;
    if (slot - w.head >= SLOTS) {
      w.counts.fill(0);
      w.total = 0;
    } else {
      for (let s = w.head + 1; s <= slot; s++) {
        w.total -= w.counts[s % SLOTS] ?? 0;
        w.counts[s % SLOTS] = 0;
      }
    }
    w.head = slot;
  }
}
