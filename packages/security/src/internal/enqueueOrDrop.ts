import type { BatchQueue, Diagnostics } from '@lookout/core';

/**
 * Enqueues what a sink made of an event; `undefined` (the sink could not make anything of it)
 * is counted as an `invalid` drop in the queue's stats and metrics instead, with one warning
 * (deduplicated by `code`).
 */
export function enqueueOrDrop<T>(queue: BatchQueue<T>, item: T | undefined, diagnostics: Diagnostics, code: string, message: string): void {
  if (item !== undefined) {
    queue.enqueue(item);
    return;
  }
  queue.recordDrop('invalid');
  diagnostics.warn(code, message, code);
}
