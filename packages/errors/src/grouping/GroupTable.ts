import { BoundedMap } from '@lookout/core';
import type { ErrorCategory, GroupSnapshot, Severity } from '../types.js';

interface GroupState extends GroupSnapshot {
  windowStart: number;
  windowCount: number;
}

/** What {@link GroupTable.record} decided for one occurrence. */
export interface GroupDecision {
  group: GroupSnapshot;
  /** `false` when the per-group rate limit is exhausted for the current window. */
  forward: boolean;
}

/**
 * Groups by fingerprint, bounded to `maxGroups` (the least recently seen is forgotten), with a
 * fixed-window rate limit per group. O(1) per record.
 */
export class GroupTable {
  private readonly _groups: BoundedMap<string, GroupState>;

  constructor(
    private readonly _maxGroups: number,
    private readonly _rateLimit: { perGroup: number; windowMs: number } | false,
  ) {
    this._groups = new BoundedMap(this._maxGroups);
  }

  record(fingerprint: string, type: string, message: string, category: ErrorCategory, severity: Severity, now: number): GroupDecision {
    const g = this._groups.upsert(fingerprint, () => ({
      fingerprint,
      type,
      message,
      category,
      severity,
      count: 0,
      suppressed: 0,
      firstSeen: now,
      lastSeen: now,
      windowStart: now,
      windowCount: 0,
    }));
    g.count++;
    g.lastSeen = now;
    g.severity = severity;
    let forward = true;
    const limit = this._rateLimit;
    if (limit !== false) {
      if (now - g.windowStart >= limit.windowMs || now < g.windowStart) {
        g.windowStart = now;
        g.windowCount = 0;
      }
      if (g.windowCount >= limit.perGroup) forward = false;
      else g.windowCount++;
    }
    if (!forward) g.suppressed++;
    return { group: g, forward };
  }

  get(fingerprint: string): GroupSnapshot | undefined {
    const g = this._groups.get(fingerprint);
    return g === undefined ? undefined : snapshot(g);
  }

  all(): GroupSnapshot[] {
    return [...this._groups.values()].map(snapshot);
  }
}

/** A copy without the rate-limit bookkeeping. */
export function snapshot(g: GroupSnapshot): GroupSnapshot {
  return {
    fingerprint: g.fingerprint,
    type: g.type,
    message: g.message,
    category: g.category,
    severity: g.severity,
    count: g.count,
    suppressed: g.suppressed,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
  };
}
