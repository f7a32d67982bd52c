import type { SignalType, ViewerRecord } from '../types.js';

export const ALL_SIGNALS: readonly SignalType[] = ['metric', 'event', 'error', 'security', 'budget', 'vital', 'log'];

/** Most label conditions in one filter. */
const MAX_LABEL_CONDITIONS = 16;
const MAX_FILTER_TEXT = 256;

/**
 * What a stream subscribes to, from its query string:
 * - `signals=metric,event,error` — signal types (default: all);
 * - `name=checkout` — metric or record name contains this (case-insensitive); `*` matches anything, so `http.*duration`;
 * - `label=route=/checkout` (repeatable) — a metric label or record attribute equals the value;
 * - `source=shop-api` — only this app.
 */
export interface StreamFilter {
  signals: ReadonlySet<SignalType>;
  name: RegExp | undefined;
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
  return { signals, name: nameText === '' ? undefined : globToRegExp(nameText), labels, source: source === '' ? undefined : source, text };
}

/** Case-insensitive "contains" with `*` as a wildcard; everything else is literal. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(escaped, 'i');
}

/** Whether a record passes the filter. */
export function matchesRecord(filter: StreamFilter, record: ViewerRecord): boolean {
  if (!filter.signals.has(record.type)) return false;
  if (filter.source !== undefined && record.source !== filter.source) return false;
  if (filter.name !== undefined && !filter.name.test(record.name)) return false;
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
  return filter.name === undefined || filter.name.test(name);
}

/** Whether a series' labels pass. */
export function matchesLabels(filter: StreamFilter, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of filter.labels) if (labels[key] !== value) return false;
  return true;
}
