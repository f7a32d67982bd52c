import type { SignalType, ViewerRecord } from '../types.js';

export const ALL_SIGNALS: readonly SignalType[] = ['metric', 'event', 'error', 'security', 'budget', 'vital', 'log'];

/** Most label conditions in one filter. */
const MAX_LABEL_CONDITIONS = 16;
const MAX_FILTER_TEXT = 256;

/** Whether a name passes a stream's name filter. */
export type NameMatcher = (name: string) => boolean;

/**
 * What a stream subscribes to, from its query string:
 * - `signals=metric,event,error` — signal types (default: all);
 * - `name=checkout` — metric or record name contains this (case-insensitive); `*` matches anything, so `http.*duration`;
 * - `label=route=/checkout` (repeatable) — a metric label or record attribute equals the value;
 * - `source=shop-api` — only this app.
 */
export interface StreamFilter {
  signals: ReadonlySet<SignalType>;
  name: NameMatcher | undefined;
  labels: readonly [key: string, value: string][];
  source: string | undefined;
  /** The query as given, for stats. */
  text: string;
}

/** Parses a stream's query. Unknown signal names are ignored; never throws. */
export function parseFilter(query: URLSearchParams): StreamFilter {
  const signals = new Set<SignalType>();
  const rawSignals = query.get('signals');
  if (rawSignals === null || rawSignals.trim() === '') for (const s of ALL_SIGNALS) signals.add(s);
  else for (const s of rawSignals.split(',')) if ((ALL_SIGNALS as readonly string[]).includes(s.trim())) signals.add(s.trim() as SignalType);
  const nameText = (query.get('name') ?? '').trim().slice(0, MAX_FILTER_TEXT);
  const labels: [string, string][] = [];
  for (const raw of query.getAll('label').slice(0, MAX_LABEL_CONDITIONS)) {
    const eq = raw.indexOf('=');
    if (eq > 0) labels.push([raw.slice(0, eq).trim(), raw.slice(eq + 1).trim()]);
  }
  const source = (query.get('source') ?? '').trim().slice(0, MAX_FILTER_TEXT);
  const text = ['signals', 'name', 'label', 'source']
    .flatMap((k) => query.getAll(k).map((v) => `${k}=${encodeURIComponent(v)}`))
    .join('&');
  return { signals, name: nameText === '' ? undefined : compileGlob(nameText), labels, source: source === '' ? undefined : source, text };
}

/**
 * Case-insensitive "contains" with `*` as a wildcard; everything else is literal. Never a
 * RegExp: `a*b*c` as `/a.*b.*c/` backtracks in O(n^k) on a name that does not match, and the
 * filter runs synchronously in the host on every record. An unanchored glob matches exactly
 * when its parts occur in order, and taking each part's leftmost occurrence after the previous
 * one is enough to find that out: O(name × filter) with `indexOf`.
 */
export function compileGlob(glob: string): NameMatcher {
  const parts = glob.toLowerCase().split('*').filter((part) => part !== '');
  if (parts.length === 0) return () => true;
  return (name) => {
    const text = name.toLowerCase();
    let from = 0;
    for (const part of parts) {
      const at = text.indexOf(part, from);
      if (at < 0) return false;
      from = at + part.length;
    }
    return true;
  };
}

/** Whether a record passes the filter. */
export function matchesRecord(filter: StreamFilter, record: ViewerRecord): boolean {
  if (!filter.signals.has(record.type)) return false;
  if (filter.source !== undefined && record.source !== filter.source) return false;
  if (filter.name !== undefined && !filter.name(record.name)) return false;
  for (const [key, value] of filter.labels) {
    const v = record.attributes[key];
    if (v === undefined || String(v) !== value) return false;
  }
  return true;
}

/** Whether a metric's name and source pass (labels are checked per series). */
export function matchesMetric(filter: StreamFilter, name: string, source: string): boolean {
  if (!filter.signals.has('metric')) return false;
  if (filter.source !== undefined && source !== filter.source) return false;
  return filter.name === undefined || filter.name(name);
}

/** Whether a series' labels pass. */
export function matchesLabels(filter: StreamFilter, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of filter.labels) if (labels[key] !== value) return false;
  return true;
}
