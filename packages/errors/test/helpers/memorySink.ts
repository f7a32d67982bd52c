import type { ErrorRecord, ErrorSink } from '@lookout/errors';

/** An in-memory sink for unit tests. */
export function memorySink(): ErrorSink & { records: ErrorRecord[] } {
  const records: ErrorRecord[] = [];
  return { name: 'memory', records, capture: (r) => void records.push(r) };
}
