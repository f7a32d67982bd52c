/**
 * A stack for a non-Error throwable: where it was captured. With V8's `captureStackTrace`, the
 * frames above `anchor` (the capturing API's own frames) are left out.
 */
export function syntheticStack(anchor: unknown): string | undefined {
  const holder: { stack?: string } = {};
  const capture = (Error as { captureStackTrace?: (target: object, ctor?: unknown) => void }).captureStackTrace;
  if (typeof capture === 'function') {
    capture(holder, anchor ?? syntheticStack);
    return holder.stack;
  }
  return new Error().stack;
}
