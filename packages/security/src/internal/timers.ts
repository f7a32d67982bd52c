interface TimerGlobals {
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/** `setTimeout` looked up at call time, with `unref()` where the platform has it (Node), so Lookout never keeps a process alive. */
export function setUnrefTimeout(callback: () => void, ms: number): unknown {
  const g = globalThis as TimerGlobals;
  if (typeof g.setTimeout !== 'function') return undefined;
  const handle = g.setTimeout(callback, ms);
  (handle as { unref?: () => void } | undefined)?.unref?.();
  return handle;
}

export function clearUnrefTimeout(handle: unknown): void {
  const g = globalThis as TimerGlobals;
  if (handle !== undefined && typeof g.clearTimeout === 'function') g.clearTimeout(handle);
}

/** Waits for every task, or until `deadlineMs` has passed, whichever is first. Never rejects. */
export function settleBy(tasks: readonly Promise<unknown>[], deadlineMs: number): Promise<void> {
  if (tasks.length === 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setUnrefTimeout(resolve, deadlineMs);
    void Promise.allSettled(tasks).then(() => {
      clearUnrefTimeout(timer);
      resolve();
    });
  });
}
