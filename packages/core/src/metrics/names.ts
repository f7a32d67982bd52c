import type { InstrumentKind } from './types.js';

/** OpenTelemetry's instrument name syntax (spec: metrics API, "Instrument name syntax"). */
const OTEL_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/;
const PROM_INVALID = /[^A-Za-z0-9_]/g;
const MULTI_UNDERSCORE = /_{2,}/g;
const PROM_LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UNIT_ANNOTATION = /^\{[^{}]{0,63}\}$/;
const MAX_LABEL_NAME_LENGTH = 128;

/** Units with a Prometheus suffix. `1` and annotations such as `{request}` add none. */
const UNIT_SUFFIX: Readonly<Record<string, string>> = { s: '_seconds', By: '_bytes' };

export function isValidInstrumentName(name: unknown): name is string {
  return typeof name === 'string' && OTEL_NAME.test(name);
}

/** Whether `unit` is one Lookout accepts (base units only, so exposition names stay conventional). */
export function isAcceptedUnit(unit: string): boolean {
  return unit === '' || unit === 's' || unit === 'By' || unit === '1' || UNIT_ANNOTATION.test(unit);
}

/** Replaces everything Prometheus does not allow in a name by `_`, collapsing runs. */
export function sanitizePromName(name: string): string {
  return name.replace(PROM_INVALID, '_').replace(MULTI_UNDERSCORE, '_');
}

/**
 * The Prometheus family name of an instrument: sanitised, with the unit suffix (`_seconds`,
 * `_bytes`) and, for counters, `_total` (OpenTelemetry's Prometheus compatibility rules).
 */
export function promFamilyName(name: string, kind: InstrumentKind, unit: string): string {
  let base = sanitizePromName(name);
  if (base.endsWith('_total')) base = base.slice(0, -'_total'.length);
  const suffix = UNIT_SUFFIX[unit];
  if (suffix !== undefined && !base.endsWith(suffix)) base += suffix;
  return kind === 'counter' || kind === 'observablecounter' ? `${base}_total` : base;
}

/** The OpenMetrics family name: counters are named without `_total`; samples carry it. */
export function openMetricsFamilyName(promName: string, kind: InstrumentKind): string {
  return kind === 'counter' || kind === 'observablecounter' ? promName.slice(0, -'_total'.length) : promName;
}

/** OpenMetrics `# UNIT` value for a unit, or undefined when it has none. */
export function openMetricsUnit(unit: string): string | undefined {
  return unit === 's' ? 'seconds' : unit === 'By' ? 'bytes' : undefined;
}

/**
 * Sanitises an attribute key into a Prometheus label name, or returns undefined when it cannot be
 * one: invalid characters become `_` and runs of `_` collapse into one (OpenTelemetry's Prometheus
 * compatibility spec, Metric Attributes: "Multiple consecutive `_` characters MUST be replaced
 * with a single `_` character"), so `net..peer` is `net_peer`, as OTel's Prometheus exporter has it.
 */
export function promLabelName(key: string): string | undefined {
  if (key.length === 0 || key.length > MAX_LABEL_NAME_LENGTH) return undefined;
  let label = key.replace(PROM_INVALID, '_').replace(MULTI_UNDERSCORE, '_');
  if (label[0]! >= '0' && label[0]! <= '9') label = `_${label}`;
  if (!isPromLabelName(label)) return undefined;
  return label;
}

/** Whether `name` can be written as a Prometheus label name as it is (not reserved: no leading `__`). */
export function isPromLabelName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_LABEL_NAME_LENGTH && PROM_LABEL.test(name) && !name.startsWith('__');
}

/** Escapes a label value for both the Prometheus text format and OpenMetrics. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_LABEL_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
const NEEDS_LABEL_ESCAPE = /[\\\n"]/;

/**
 * Escapes `# HELP` text: `\` and line feeds for the text format 0.0.4; OpenMetrics also escapes
 * `"`, since its HELP is an `escaped-string` whose `normal-char` leaves `"` out (OpenMetrics 1.0
 * ABNF), as the Python client's OpenMetrics exposition does.
 */
export function escapeHelp(text: string, openMetrics = false): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return openMetrics ? escaped.replace(/"/g, '\\"') : escaped;
}
