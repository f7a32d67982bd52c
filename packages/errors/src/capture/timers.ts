/** The global timer functions, looked up at call time (fake timers installed later still work). */
interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** `setTimeout` through `globalThis`; `unref`s the handle (Node) when `unref` is true. */
export function setTimer(callback: () => void, ms: number, unref: boolean): unknown {
  const handle = (globalThis as unknown as TimerGlobals).setTimeout(callback, ms);
  if (unref && typeof handle === 'object' && handle !== null) (handle as { unref?: () => void }).unref?.();
  return handle;
}

/** `clearTimeout` through `globalThis`. */
export function clearTimer(handle: unknown): void {
  (globalThis as unknown as TimerGlobals).clearTimeout(handle);
}
