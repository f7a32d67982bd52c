import { MAX_PENDING_CALLS } from '../constants.js';

/** Calls made before `initMonitoring`, kept for it (both tiers keep theirs in one of these). */
export interface PendingCalls<M> {
  /** Keeps `call` (at most {@link MAX_PENDING_CALLS}; later ones are only counted). */
  add(call: (monitoring: M) => unknown): void;
  /** Hands over the kept calls, in order, and how many were not kept; starts afresh. */
  take(): { calls: Array<(monitoring: M) => unknown>; dropped: number };
}

/** A bounded list of calls made before init. Nothing runs until `take()`. */
export function createPendingCalls<M>(): PendingCalls<M> {
  let calls: Array<(monitoring: M) => unknown> = [];
  let dropped = 0;
  return {
    add(call) {
      if (calls.length < MAX_PENDING_CALLS) calls.push(call);
      else dropped++;
    },
    take() {
      const taken = { calls, dropped };
      calls = [];
      dropped = 0;
      return taken;
    },
  };
}
