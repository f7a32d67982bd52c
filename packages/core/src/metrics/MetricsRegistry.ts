import { diagnosticsField, finiteNumberField, functionField, integerField, type FieldCheck } from '../config/fieldChecks.js';
import { diagnosticsIn, quickResolve } from '../config/quickResolve.js';
import { getDiagnostics, safeString, type Diagnostics } from '../diagnostics/index.js';
import { defaultBucketsFor, normaliseBuckets } from './buckets.js';
import {
  CounterImpl,
  GaugeImpl,
  HistogramImpl,
  MODE_DELEGATE,
  MODE_LOCAL,
  MODE_OFF,
  ObservableGaugeImpl,
  UpDownCounterImpl,
  makeTimer,
  type AnyInstrument,
  type InstrumentDescriptor,
} from './internal/instruments.js';
import { findHostMeterProvider, type OtelMeterLike, type OtelMeterProviderLike } from './internal/otelGlobal.js';
import { isOwnInstrument } from './internal/ownNamespace.js';
import { PINNED } from './internal/series.js';
import type { RegistryCore } from './internal/RegistryCore.js';
import { isAcceptedUnit, isValidInstrumentName, openMetricsFamilyName, promFamilyName, promLabelName } from './names.js';
import type {
  Counter,
  ExemplarSource,
  Gauge,
  Histogram,
  HistogramOptions,
  InstrumentKind,
  InstrumentOptions,
  Labels,
  ObservableCallback,
  ObservableGauge,
  RegistryMode,
  RegistryOptions,
  UpDownCounter,
} from './types.js';

/** The checks of {@link RegistryOptions}, built on call (no work at import); what they refuse falls back to its default. */
function registryFields(): Readonly<Record<keyof RegistryOptions, FieldCheck>> {
  return {
    cardinalityLimit: integerField(1),
    seriesTtlMs: finiteNumberField(0),
    maxLabelValueLength: integerField(1),
    diagnostics: diagnosticsField,
    now: functionField,
  };
}

export const DEFAULT_CARDINALITY_LIMIT = 2000;
export const DEFAULT_MAX_LABEL_VALUE_LENGTH = 256;
export const DEFAULT_OBSERVE_TIMEOUT_MS = 1000;
/** While no exporter is set up, look for a host MeterProvider once every this many records. */
const PROBE_EVERY_RECORDS = 256;
const MAX_DESCRIPTION_LENGTH = 1024;
const METER_NAME = '@lookout/core';

/** Options of {@link MetricsRegistry.recordMetric}. */
export interface RecordMetricOptions {
  /** Instrument kind created on first use. Default `'gauge'`. */
  kind?: 'counter' | 'gauge' | 'histogram' | 'updowncounter';
  unit?: string;
  description?: string;
}

/**
 * Holds instruments and their series, aggregates records itself (no attribute sorting, no
 * per-record allocation on the hot path), and hands the data to Prometheus and to OpenTelemetry's
 * readers. Create one with `createMetricsRegistry()` or use the default one.
 *
 * Modes: `local` aggregates here; `off` (the default registry until something reads it) records
 * nothing; `delegate` forwards every record to a MeterProvider the host registered with
 * OpenTelemetry's API.
 */
export class MetricsRegistry implements RegistryCore {
  mode: number;
  readonly diag: Diagnostics;
  readonly maxLabelValueLength: number;
  private readonly _cardinalityLimit: number;
  private readonly _seriesTtlMs: number;
  private readonly _now: () => number;
  private readonly _epochMs: number;
  private readonly _instruments = new Map<string, AnyInstrument>();
  /** Every sample name in use (`x_bucket`, `x_total` …) and OpenMetrics family name, to refuse clashes. */
  private readonly _sampleNames = new Map<string, string>();
  private _probeTicks = 0;
  private _generation = 0;
  private _meter: OtelMeterLike | undefined;
  private _exemplarSource: ExemplarSource | undefined;
  private _self: { dropped: CounterImpl; overflow: CounterImpl; evicted: CounterImpl } | undefined;

  /** @param mode `local` for registries the host reads itself; the default registry starts `off`. */
  constructor(input: RegistryOptions = {}, mode: RegistryMode = 'local') {
    // Checked like every option object (without zod: the recording path costs nothing at
    // startup): an invalid or unknown field gets one diagnostic naming it and takes its default.
    const options = quickResolve(input, registryFields(), 'createMetricsRegistry', diagnosticsIn(input), false).options as RegistryOptions;
    this.diag = options.diagnostics ?? getDiagnostics();
    this._cardinalityLimit = positiveInt(options.cardinalityLimit, DEFAULT_CARDINALITY_LIMIT);
    this._seriesTtlMs = nonNegative(options.seriesTtlMs, 0);
    this.maxLabelValueLength = positiveInt(options.maxLabelValueLength, DEFAULT_MAX_LABEL_VALUE_LENGTH);
    this._now = typeof options.now === 'function' ? options.now : Date.now;
    this._epochMs = this._now();
    this.mode = mode === 'local' ? MODE_LOCAL : MODE_OFF;
    if (mode === 'delegate') this._probe();
  }

  // ---------------------------------------------------------------- instruments

  /** A monotonic counter. Prometheus name: sanitised, unit suffix, `_total`. */
  counter<K extends string = never>(name: string, options?: InstrumentOptions<K>): Counter<K> {
    return this._define('counter', name, options) as Counter<K>;
  }

  /** A counter that may go down (active sessions, queue depth). */
  upDownCounter<K extends string = never>(name: string, options?: InstrumentOptions<K>): UpDownCounter<K> {
    return this._define('updowncounter', name, options) as UpDownCounter<K>;
  }

  /** A gauge whose value the host sets. */
  gauge<K extends string = never>(name: string, options?: InstrumentOptions<K>): Gauge<K> {
    return this._define('gauge', name, options) as Gauge<K>;
  }

  /** A histogram with explicit buckets (defaults by unit). */
  histogram<K extends string = never>(name: string, options?: HistogramOptions<K>): Histogram<K> {
    return this._define('histogram', name, options) as Histogram<K>;
  }

  /** A gauge read at collection time through `callback` (and any added later). */
  observableGauge<K extends string = never>(
    name: string,
    options?: InstrumentOptions<K>,
    callback?: ObservableCallback<K>,
  ): ObservableGauge<K> {
    const gauge = this._define('observablegauge', name, options) as ObservableGauge<K>;
    if (callback !== undefined) gauge.addCallback(callback);
    return gauge;
  }

  /**
   * A counter read at collection time: callbacks observe running totals (e.g. a queue's
   * `sent` count). Exported like a counter (`_total`).
   */
  observableCounter<K extends string = never>(
    name: string,
    options?: InstrumentOptions<K>,
    callback?: ObservableCallback<K>,
  ): ObservableGauge<K> {
    const counter = this._define('observablecounter', name, options) as ObservableGauge<K>;
    if (callback !== undefined) counter.addCallback(callback);
    return counter;
  }

  /**
   * Records `value` under a name known only at run time: validates the name, creates the
   * instrument on first use (a gauge unless `options.kind` says otherwise; label keys taken from
   * the first call) and reuses it after.
   */
  recordMetric(name: string, value: number, labels?: Labels, options?: RecordMetricOptions): void {
    try {
      const kind = options?.kind ?? 'gauge';
      if (!['counter', 'gauge', 'histogram', 'updowncounter'].includes(kind)) {
        this.diag.warn('metric.kind-invalid', `recordMetric: unknown kind "${safeString(kind)}"; record dropped`);
        return;
      }
      let inst = this._findByName(name, kind);
      if (inst === undefined) {
        const keys = labels !== null && typeof labels === 'object' ? Object.keys(labels) : [];
        const opts = { labels: keys, unit: options?.unit, description: options?.description };
        inst = this._define(kind, name, opts) as unknown as AnyInstrument;
      }
      if (inst instanceof CounterImpl || inst instanceof UpDownCounterImpl) inst.add(value, labels);
      else if (inst instanceof GaugeImpl) inst.set(value, labels);
      else if (inst instanceof HistogramImpl) inst.record(value, labels);
      else (inst as { add?: (v: number, l?: Labels) => void }).add?.(value, labels);
    } catch (error) {
      this.diag.internalError(error, 'recordMetric');
    }
  }

  /** Starts a timer against a histogram; `end(labels)` records seconds. Same as `histogram.startTimer()`. */
  startTimer(histogram: Histogram, labels?: Labels): ReturnType<typeof makeTimer> {
    return histogram.startTimer(labels);
  }

  /** The instrument registered under a Prometheus name or OpenTelemetry name, if any. */
  getInstrument(name: string): Counter | UpDownCounter | Gauge | Histogram | ObservableGauge | undefined {
    return this._instruments.get(name) ?? [...this._instruments.values()].find((i) => i.d.name === name);
  }

  // ---------------------------------------------------------------- modes

  /** `off`, `local` or `delegate`. */
  get currentMode(): RegistryMode {
    return this.mode === MODE_LOCAL ? 'local' : this.mode === MODE_DELEGATE ? 'delegate' : 'off';
  }

  /** Starts aggregating here. Called by every reader (scrape handler, OTel producer, Pushgateway). */
  enable(): void {
    if (this.mode !== MODE_LOCAL) {
      this.mode = MODE_LOCAL;
      this._meter = undefined;
    }
  }

  /** Forwards every record to `provider` (normally found automatically). */
  useMeterProvider(provider: OtelMeterProviderLike): void {
    try {
      this._meter = provider.getMeter(METER_NAME);
      this.mode = MODE_DELEGATE;
      for (const inst of this._instruments.values()) if ('bindToOtel' in inst) inst.bindToOtel();
    } catch (error) {
      this.diag.internalError(error, 'useMeterProvider');
    }
  }

  /** Sets where histogram exemplars come from (`@lookout/core/sdk` uses the active OpenTelemetry span). */
  setExemplarSource(source: ExemplarSource | undefined): void {
    this._exemplarSource = source;
  }

  activeMode(): number {
    if (this.mode === MODE_OFF && this._probeTicks++ % PROBE_EVERY_RECORDS === 0) this._probe();
    return this.mode;
  }

  meter(): OtelMeterLike | undefined {
    return this._meter;
  }

  now(): number {
    return this._now();
  }

  epochSeconds(): number {
    return Math.floor((this._now() - this._epochMs) / 1000);
  }

  epochMs(): number {
    return this._epochMs;
  }

  exemplarContext(): { traceId: string; spanId: string } | undefined {
    if (this._exemplarSource === undefined) return undefined;
    try {
      return this._exemplarSource();
    } catch {
      return undefined;
    }
  }

  private _probe(): void {
    const provider = findHostMeterProvider();
    if (provider !== undefined) this.useMeterProvider(provider);
  }

  // ---------------------------------------------------------------- self-metrics

  countDropped(metric: string, reason: string): void {
    if (this.mode === MODE_OFF) return;
    this._selfMetrics().dropped.add(1, { metric, reason });
  }

  countOverflow(metric: string): void {
    this._selfMetrics().overflow.add(1, { metric });
  }

  private _selfMetrics(): { dropped: CounterImpl; overflow: CounterImpl; evicted: CounterImpl } {
    if (this._self === undefined) {
      const self = (name: string, description: string, labels: string[]): CounterImpl =>
        this._define('counter', name, { description, labels, cardinalityLimit: 10_000 }) as unknown as CounterImpl;
      this._self = {
        dropped: self('lookout.metric.records.dropped', 'Records Lookout dropped, by metric and reason', ['metric', 'reason']),
        overflow: self('lookout.metric.series.overflow', 'Records routed to the overflow series past the cardinality limit', ['metric']),
        evicted: self('lookout.metric.series.evicted', 'Series removed after their TTL without updates', ['metric']),
      };
    }
    return this._self;
  }

  // ---------------------------------------------------------------- collection

  /** Every instrument, in registration order. */
  instruments(): IterableIterator<AnyInstrument> {
    return this._instruments.values();
  }

  /**
   * Readies the data for a reader: runs observable callbacks (bounded by `timeoutMs`) and drops
   * series past their TTL. Reading does not change the mode: exporters call {@link enable}
   * themselves, so a read-only consumer (budgets, the viewer) never takes records away from a
   * host's MeterProvider. Never throws.
   */
  async prepareCollection(timeoutMs = DEFAULT_OBSERVE_TIMEOUT_MS): Promise<void> {
    const observables: Promise<void>[] = [];
    for (const inst of this._instruments.values()) {
      if (inst instanceof ObservableGaugeImpl) {
        if (inst.callbacks.length > 0) observables.push(inst.collect(timeoutMs));
      } else {
        this._sweep(inst);
      }
    }
    if (observables.length > 0) await Promise.all(observables);
  }

  private _sweep(inst: Exclude<AnyInstrument, ObservableGaugeImpl>): void {
    const ttl = inst.d.seriesTtlMs;
    if (ttl <= 0) return;
    const now = this.epochSeconds();
    const ttlSeconds = ttl / 1000;
    const removed = (inst.table as { removeWhere(drop: (s: { t: number; last: number }) => boolean): number }).removeWhere((s) => {
      if (s.t === 1) {
        s.t = 0;
        if (s.last !== PINNED) s.last = now;
        return false;
      }
      return s.last !== PINNED && now - s.last > ttlSeconds;
    });
    if (removed > 0) this._selfMetrics().evicted.add(removed, { metric: inst.d.promName });
  }

  /**
   * Forgets every instrument and series (tests). Instruments defined for the host by Lookout
   * (`instrument()`, `observeDeliveryStats`) are defined again on their next use.
   */
  clear(): void {
    this._instruments.clear();
    this._sampleNames.clear();
    this._self = undefined;
    this._generation++;
  }

  /**
   * How many times {@link clear} ran: code that keeps instruments of this registry (a cache keyed
   * by registry) compares it to know they are gone.
   */
  get generation(): number {
    return this._generation;
  }

  // ---------------------------------------------------------------- definition

  private _findByName(name: string, kind: InstrumentKind): AnyInstrument | undefined {
    if (!isValidInstrumentName(name)) return undefined;
    for (const unit of ['', 's', 'By', '1']) {
      const found = this._instruments.get(promFamilyName(name, kind, unit));
      if (found !== undefined && found.d.name === name) return found;
    }
    return undefined;
  }

  private _define(kind: InstrumentKind, name: unknown, rawOptions: unknown): unknown {
    try {
      return this._defineUnsafe(kind, name, rawOptions);
    } catch (error) {
      this.diag.internalError(error, `define ${kind}`);
      return noopInstrument(kind, safeString(name));
    }
  }

  private _defineUnsafe(kind: InstrumentKind, name: unknown, rawOptions: unknown): unknown {
    if (!isValidInstrumentName(name)) {
      this.diag.warn(
        'metric.name-invalid',
        `${describe(name)} is not a valid instrument name (a letter, then up to 254 letters, digits, "_", ".", "-" or "/"); its records are dropped`,
        safeString(name),
      );
      return noopInstrument(kind, safeString(name));
    }
    const options = (rawOptions !== null && typeof rawOptions === 'object' ? rawOptions : {}) as HistogramOptions;
    if (rawOptions !== undefined && rawOptions !== options) {
      this.diag.warn('metric.options-invalid', `${name}: options must be an object; defaults used`, name);
    }
    let unit = typeof options.unit === 'string' ? options.unit : '';
    if (!isAcceptedUnit(unit)) {
      this.diag.warn('metric.unit', `${name}: unit "${unit.slice(0, 32)}" is not a base unit (use "s", "By", "1" or "{thing}"); no unit is set`, name);
      unit = '';
    }
    if (name.endsWith('_total') && kind !== 'counter') {
      this.diag.warn('metric.name-total', `${name}: "_total" is for counters only; it is left out of the ${kind}'s name`, name);
    }
    const promName = promFamilyName(name, kind, unit);
    const { keys, labelNames } = this._labelKeys(name, kind, options.labels);
    const description = typeof options.description === 'string' ? options.description.slice(0, MAX_DESCRIPTION_LENGTH) : '';

    const existing = this._instruments.get(promName);
    if (existing !== undefined) {
      if (existing.d.kind === kind && existing.d.unit === unit && sameKeys(existing.d.labelNames, labelNames)) {
        if (existing.d.name !== name) {
          this.diag.warn('metric.name-collision', `"${name}" and "${existing.d.name}" are both exported as ${promName}; they share one instrument`, promName);
        }
        return existing;
      }
      this.diag.warn(
        'metric.conflict',
        `${promName} is already registered as a ${existing.d.kind} with labels [${existing.d.labelNames.join(', ')}]; this ${kind} with labels [${labelNames.join(', ')}] records nothing`,
        `${promName}\u0000${kind}`,
      );
      return noopInstrument(kind, promName, () => this.countDropped(promName, 'conflict'));
    }
    const samples = sampleNames(promName, kind);
    const clash = samples.find((s) => this._sampleNames.has(s));
    if (clash !== undefined) {
      this.diag.warn('metric.conflict', `${promName} (${kind}) would export ${clash}, which ${this._sampleNames.get(clash)} already exports; it records nothing`, `${promName}\u0000${kind}`);
      return noopInstrument(kind, promName, () => this.countDropped(promName, 'conflict'));
    }

    const own = isOwnInstrument(name);
    const d: InstrumentDescriptor = {
      name,
      kind,
      description,
      unit,
      keys,
      labelNames,
      promName,
      cardinalityLimit: positiveInt(options.cardinalityLimit, this._cardinalityLimit),
      // Lookout's own series are kept and never cut: a drop count that vanished after the TTL (or
      // whose metric label was cut) would lose, silently, what it counted.
      seriesTtlMs: own ? 0 : nonNegative(options.seriesTtlMs, this._seriesTtlMs),
      maxLabelValueLength: own ? Infinity : this.maxLabelValueLength,
    };
    let inst: AnyInstrument;
    switch (kind) {
      case 'counter':
        inst = new CounterImpl(this, d);
        break;
      case 'updowncounter':
        inst = new UpDownCounterImpl(this, d);
        break;
      case 'gauge':
        inst = new GaugeImpl(this, d);
        break;
      case 'histogram':
        inst = new HistogramImpl(this, d, this._buckets(name, unit, options.buckets), options.exemplars === true);
        break;
      case 'observablegauge':
      case 'observablecounter':
        inst = new ObservableGaugeImpl(this, d);
        break;
    }
    this._instruments.set(promName, inst);
    for (const s of samples) this._sampleNames.set(s, promName);
    if (this.mode === MODE_DELEGATE && 'bindToOtel' in inst) inst.bindToOtel();
    return inst;
  }

  private _labelKeys(name: string, kind: InstrumentKind, raw: unknown): { keys: string[]; labelNames: string[] } {
    const keys: string[] = [];
    const labelNames: string[] = [];
    if (raw === undefined) return { keys, labelNames };
    if (!Array.isArray(raw)) {
      this.diag.warn('metric.labels-invalid', `${name}: labels must be an array of label keys; none declared`, name);
      return { keys, labelNames };
    }
    for (const key of raw) {
      const label = typeof key === 'string' ? promLabelName(key) : undefined;
      if (label === undefined || RESERVED_LABELS.has(label)) {
        this.diag.warn('metric.label-key-invalid', `${name}: ${describe(key)} cannot be a label key; it is ignored`, `${name}\u0000${safeString(key)}`);
        continue;
      }
      if (labelNames.includes(label)) {
        this.diag.warn('metric.label-key-duplicate', `${name}: label key "${key}" is the same as another one once sanitised ("${label}"); it is ignored`, `${name}\u0000${key}`);
        continue;
      }
      keys.push(key as string);
      labelNames.push(label);
    }
    return { keys, labelNames };
  }

  private _buckets(name: string, unit: string, raw: unknown): readonly number[] {
    if (raw === undefined) return defaultBucketsFor(unit);
    const { buckets, changed } = normaliseBuckets(raw);
    if (buckets.length === 0) {
      this.diag.warn('metric.buckets', `${name}: no usable bucket bounds; the defaults for unit "${unit}" are used`, name);
      return defaultBucketsFor(unit);
    }
    if (changed) this.diag.warn('metric.buckets', `${name}: bucket bounds must be finite and increasing; using [${buckets.join(', ')}]`, name);
    return buckets;
  }
}

/**
 * Label names no instrument may declare: `le` and `quantile` belong to histogram buckets and
 * summary quantiles (`promtool check metrics` refuses them on any other metric, and a Prometheus
 * query on them would mix the kinds up), `otel_metric_overflow` to the overflow series.
 */
const RESERVED_LABELS: ReadonlySet<string> = new Set(['le', 'quantile', 'otel_metric_overflow']);

/** Sample names an instrument exports, plus its OpenMetrics family name. */
function sampleNames(promName: string, kind: InstrumentKind): string[] {
  if (kind === 'histogram') return [promName, `${promName}_bucket`, `${promName}_sum`, `${promName}_count`];
  if (kind === 'counter' || kind === 'observablecounter') return [promName, openMetricsFamilyName(promName, kind)];
  return [promName];
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 64)}"` : typeof value;
}

/** An instrument that accepts every call and records nothing (invalid name, conflicting definition). */
function noopInstrument(kind: InstrumentKind, name: string, onRecord: () => void = () => {}): unknown {
  const record = (): void => onRecord();
  const timer = (): ReturnType<typeof makeTimer> => makeTimer(() => onRecord());
  switch (kind) {
    case 'counter':
    case 'updowncounter':
      return { name, add: record, bind: () => ({ add: record }) };
    case 'gauge':
      return { name, set: record, bind: () => ({ set: record }) };
    case 'histogram':
      return { name, record, startTimer: timer, bind: () => ({ record, startTimer: timer }) };
    case 'observablegauge':
    case 'observablecounter':
      return { name, addCallback: () => {}, removeCallback: () => {} };
  }
}
