import type { QueueTimers } from './types.js';

/** The global timer functions as core sees them: present on every platform Lookout supports. */
interface TimerGlobals {
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/**
 * Calls `unref()` on a timer handle when it has one (Node), so a pending Lookout timer never
 * keeps the host process alive. Browsers return numbers, which have nothing to unref.
 */
export function unrefTimer(handle: unknown): void {
  if (typeof handle === 'object' && handle !== null) {
    const unref = (handle as { unref?: unknown }).unref;
    if (typeof unref === 'function') unref.call(handle);
  }
}

/**
 * Timers backed by the globals, looked up at each call (so fake timers installed after import
 * work), with every handle unref'd.
 */
export const GLOBAL_TIMERS: QueueTimers = {
  setTimeout(callback, ms) {
    const g = globalThis as TimerGlobals;
    const handle = g.setTimeout?.(callback, ms);
    unrefTimer(handle);
    return handle;
  },
  clearTimeout(handle) {
    (globalThis as TimerGlobals).clearTimeout?.(handle);
  },
};

/** Waits for every task, or until `deadlineMs` has passed, whichever comes first. Never rejects. */
export function settleBy(tasks: readonly Promise<unknown>[], deadlineMs: number): Promise<void> {
  if (tasks.length === 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = GLOBAL_TIMERS.setTimeout(resolve, deadlineMs);
    void Promise.allSettled(tasks).then(() => {
      GLOBAL_TIMERS.clearTimeout(timer);
      resolve();
    });
  });
}
