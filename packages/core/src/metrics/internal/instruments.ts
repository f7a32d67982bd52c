import type {
  BoundCounter,
  BoundGauge,
  BoundHistogram,
  BoundUpDownCounter,
  Counter,
  Gauge,
  Histogram,
  InstrumentKind,
  Labels,
  ObservableCallback,
  ObservableGauge,
  Observer,
  Timer,
  UpDownCounter,
} from '../types.js';
import { GLOBAL_TIMERS } from '../../delivery/timers.js';
import { describeError, safeString } from '../../diagnostics/index.js';
import { DISPOSE, monotonicMs } from './clock.js';
import type { OtelAttributes, OtelGaugeLike } from './otelGlobal.js';
import { finiteTotal, HistogramSeries, PINNED, ScalarSeries, type AnySeries } from './series.js';
import { SeriesTable } from './SeriesTable.js';
import type { RegistryCore } from './RegistryCore.js';

export const MODE_OFF = 0;
export const MODE_LOCAL = 1;
export const MODE_DELEGATE = 2;

/** What a registry needs to know about an instrument, fixed at creation. */
export interface InstrumentDescriptor {
  /** The OpenTelemetry name as given, e.g. `http.server.request.duration`. */
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly description: string;
  readonly unit: string;
  /** Declared attribute keys, as given. */
  readonly keys: readonly string[];
  /** The same keys as Prometheus label names. */
  readonly labelNames: readonly string[];
  /** Prometheus family name with unit suffix and `_total` for counters. */
  readonly promName: string;
  readonly cardinalityLimit: number;
  /** 0: series are never dropped (TTL off, or one of Lookout's own instruments). */
  readonly seriesTtlMs: number;
  /** Longer label values are cut to this; `Infinity` for Lookout's own instruments. */
  readonly maxLabelValueLength: number;
}

const EMPTY_LABELS: Labels = Object.freeze({});

/**
 * Shared machinery of every synchronous instrument: label lookup (fast path without allocation,
 * slow path that validates), cardinality limit, and the hand-off to a host's OpenTelemetry meter.
 */
export abstract class SyncInstrument<S extends AnySeries> {
  readonly name: string;
  readonly table: SeriesTable<S>;
  /** Created time in ms since the epoch: the start of every cumulative series. */
  readonly startTime: number;
  private readonly _keySet: ReadonlySet<string>;
  private _overflowed = false;

  constructor(
    readonly r: RegistryCore,
    readonly d: InstrumentDescriptor,
    make: () => S,
  ) {
    this.name = d.promName;
    this.table = new SeriesTable<S>(d.keys.length, make);
    this._keySet = new Set(d.keys);
    this.startTime = r.now();
  }

  /** Finds or creates the series for `labels`. Undefined when the record must be dropped. */
  find(labels: Labels | undefined): S | undefined {
    const keys = this.d.keys;
    const n = keys.length;
    if (n === 0) return this.table.single ?? this._slowFind(labels);
    if (labels === undefined || labels === null || typeof labels !== 'object') return this._slowFind(labels);
    let node: unknown = this.table.root;
    try {
      for (let i = 0; i < n; i++) {
        const v = (labels as Record<string, unknown>)[keys[i]!];
        if (typeof v !== 'string') return this._slowFind(labels);
        node = (node as Map<string, unknown>).get(v);
        if (node === undefined) return this._slowFind(labels);
      }
    } catch {
      // A throwing getter or a hostile Proxy: the slow path reports it and drops the record.
      return this._slowFind(labels);
    }
    return node as S;
  }

  private _slowFind(labels: unknown): S | undefined {
    const values = this.normalise(labels);
    if (values === undefined) return undefined;
    const existing = this.table.get(values);
    if (existing !== undefined) return existing;
    if (this.table.size >= this.d.cardinalityLimit) {
      if (!this._overflowed) {
        this._overflowed = true;
        this.r.diag.warn(
          'metric.cardinality',
          `${this.d.promName}: more than ${this.d.cardinalityLimit} label sets; new ones go to the series otel_metric_overflow="true"`,
          this.d.promName,
        );
      }
      this.r.countOverflow(this.d.promName);
      return this.table.getOverflow();
    }
    return this.table.insert(values);
  }

  /**
   * Turns host labels into the declared values, in order. Reports undeclared keys and bad values
   * once each. Returns undefined (record dropped) for label values that are not strings, numbers
   * or booleans.
   */
  normalise(labels: unknown): string[] | undefined {
    const d = this.d;
    if (labels === undefined || labels === null) labels = EMPTY_LABELS;
    if (typeof labels !== 'object') {
      this.r.diag.warn('metric.labels-invalid', `${d.promName}: labels must be an object, got ${typeof labels}; record dropped`, d.promName);
      this.r.countDropped(d.promName, 'invalid_labels');
      return undefined;
    }
    const obj = labels as Record<string, unknown>;
    try {
      for (const k in obj) {
        if (!this._keySet.has(k)) {
          this.r.diag.warn(
            'metric.label-undeclared',
            `${d.promName}: label "${safeString(k)}" is not declared (declared: ${d.keys.join(', ') || 'none'}); it is dropped`,
            `${d.promName}\u0000${k}`,
          );
        }
      }
    } catch {
      // An exotic object (e.g. a Proxy) that cannot be enumerated: the declared keys below still count.
    }
    const values = new Array<string>(d.keys.length);
    for (let i = 0; i < d.keys.length; i++) {
      const key = d.keys[i]!;
      let raw: unknown;
      try {
        raw = obj[key];
      } catch {
        raw = obj; // a throwing getter: treated as an invalid value below
      }
      const value = this._labelValue(key, raw);
      if (value === undefined) {
        this.r.countDropped(d.promName, 'invalid_labels');
        return undefined;
      }
      values[i] = value;
    }
    return values;
  }

  private _labelValue(key: string, raw: unknown): string | undefined {
    const d = this.d;
    switch (typeof raw) {
      case 'string': {
        const max = d.maxLabelValueLength;
        if (raw.length <= max) return raw;
        this.r.diag.warn('metric.label-truncated', `${d.promName}: value of label "${key}" is longer than ${max} characters; truncated`, `${d.promName}\u0000${key}`);
        return raw.slice(0, max);
      }
      case 'number':
      case 'boolean':
      case 'bigint':
        return String(raw);
      case 'undefined':
        return '';
      default:
        if (raw === null) return '';
        this.r.diag.warn(
          'metric.label-invalid',
          `${d.promName}: label "${key}" must be a string, number or boolean, got ${typeof raw}; record dropped`,
          `${d.promName}\u0000${key}`,
        );
        return undefined;
    }
  }

  /** Reports a value that cannot be recorded. */
  reject(value: unknown, rule: string): void {
    this.r.diag.warn('metric.invalid-value', `${this.d.promName}: ${describeValue(value)} dropped: ${rule}`, this.d.promName);
    this.r.countDropped(this.d.promName, 'invalid_value');
  }

  /** Attributes for the host's OpenTelemetry meter (delegate mode), or undefined when invalid. */
  otelAttributes(labels: unknown): OtelAttributes | undefined {
    const values = this.normalise(labels);
    if (values === undefined) return undefined;
    const attrs: OtelAttributes = {};
    for (let i = 0; i < values.length; i++) attrs[this.d.keys[i]!] = values[i]!;
    return attrs;
  }

  /**
   * When a series' cumulative stream started (ms since the epoch, registry clock): its creation
   * (or restart), to the second, never before the instrument's. A series dropped after its TTL
   * and created again, or restarted, gets a new start, so OTLP consumers see the reset
   * (OpenTelemetry data model, Sums: "Resets and gaps").
   */
  seriesStartTime(s: AnySeries): number {
    return Math.max(this.startTime, this.r.epochMs() + s.start * 1000);
  }

  /** A series created by `bind()`: pinned, so TTL never removes a series a handle points to. */
  bindSeries(labels: Labels | undefined): S | undefined {
    const s = this.find(labels);
    if (s !== undefined) s.last = PINNED;
    return s;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `string "${value.slice(0, 32)}"`;
  return typeof value;
}

const COUNTER_RULE = 'a counter takes a finite number ≥ 0';
const UPDOWN_RULE = 'an up-down counter takes a finite number';
const GAUGE_RULE = 'a gauge takes a finite number';
const HISTOGRAM_RULE = 'a histogram takes a finite number';

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && v - v === 0;
}

/**
 * Counters, up-down counters and gauges aggregate here in every mode but `off`. In delegate mode
 * the host's MeterProvider reads them through one asynchronous instrument each (an observable
 * counter, up-down counter or gauge reporting every series at its collection), so a record never
 * has to ask which mode the registry is in: a bound handle just writes to its series.
 */
abstract class ScalarInstrument extends SyncInstrument<ScalarSeries> {
  private _otelBound = false;

  constructor(r: RegistryCore, d: InstrumentDescriptor) {
    super(r, d, () => new ScalarSeries(r.epochSeconds()));
  }

  /** Records into the series of `labels`, unless the registry records nothing yet. */
  protected _apply(value: number, labels: unknown, s: ScalarSeries | undefined): void {
    if (this.r.activeMode() === MODE_OFF) return;
    const target = s ?? this.find(labels as Labels);
    if (target !== undefined) this.write(target, value);
  }

  abstract write(s: ScalarSeries, value: number): void;

  /** Delegate mode: reports every series to the host's meter at each of its collections. */
  bindToOtel(): void {
    if (this._otelBound) return;
    const meter = this.r.meter();
    if (meter === undefined) return;
    const options = otelOptions(this.d);
    const kind = this.d.kind;
    const observable =
      kind === 'counter'
        ? meter.createObservableCounter?.(this.d.name, options)
        : kind === 'updowncounter'
          ? meter.createObservableUpDownCounter?.(this.d.name, options)
          : meter.createObservableGauge(this.d.name, options);
    if (observable === undefined) return;
    this._otelBound = true;
    const keys = this.d.keys;
    observable.addCallback((result) => {
      this.table.forEach((s, values) => {
        const attrs: OtelAttributes = {};
        // As the SDK and core's producer have them: the overflow marker is a boolean, empty values are kept.
        if (values === undefined) attrs['otel.metric.overflow'] = true;
        else for (let i = 0; i < keys.length; i++) attrs[keys[i]!] = values[i]!;
        result.observe(finiteTotal(s.v), attrs);
      });
    });
  }
}

export class CounterImpl extends ScalarInstrument implements Counter {
  add(value: number = 1, labels?: Labels): void {
    if (this.r.mode !== MODE_OFF && typeof value === 'number' && value >= 0 && value < Infinity) {
      const s = this.find(labels);
      if (s !== undefined) {
        s.v += value;
        s.t = 1;
      }
      return;
    }
    if (!(typeof value === 'number' && value >= 0 && value < Infinity)) return this.reject(value, COUNTER_RULE);
    this._apply(value, labels, undefined);
  }

  write(s: ScalarSeries, value: number): void {
    s.v += value;
    s.t = 1;
  }

  bind(labels?: Labels): BoundCounter {
    this.r.activeMode();
    return new BoundCounterImpl(this, this.bindSeries(labels));
  }
}

// Bound handles are classes (one shape, methods on the prototype) so call sites stay monomorphic
// and inline. Their series exist from bind() on and are pinned (TTL never drops them), so a
// record is a check of the value and a write: no label work, no mode check, no allocation.
/** Where a handle whose labels were rejected at `bind()` writes: a series no collection sees. */
const DETACHED = new ScalarSeries(PINNED);

class BoundCounterImpl implements BoundCounter {
  private readonly _s: ScalarSeries;
  constructor(
    private readonly _i: CounterImpl,
    s: ScalarSeries | undefined,
  ) {
    this._s = s ?? DETACHED;
  }

  add(value?: number): void {
    if (typeof value === 'number' && value >= 0 && value < Infinity) {
      this._s.v += value;
      return;
    }
    if (value === undefined) this._s.v += 1;
    else this._i.reject(value, COUNTER_RULE);
  }
}

class BoundUpDownCounterImpl implements BoundUpDownCounter {
  private readonly _s: ScalarSeries;
  constructor(
    private readonly _i: UpDownCounterImpl,
    s: ScalarSeries | undefined,
  ) {
    this._s = s ?? DETACHED;
  }

  add(value?: number): void {
    if (typeof value === 'number' && value - value === 0) {
      this._s.v += value;
      return;
    }
    if (value === undefined) this._s.v += 1;
    else this._i.reject(value, UPDOWN_RULE);
  }
}

class BoundGaugeImpl implements BoundGauge {
  private readonly _s: ScalarSeries;
  constructor(
    private readonly _i: GaugeImpl,
    s: ScalarSeries | undefined,
  ) {
    this._s = s ?? DETACHED;
  }

  set(value: number): void {
    if (typeof value === 'number' && value - value === 0) this._s.v = value;
    else this._i.reject(value, GAUGE_RULE);
  }
}

class BoundHistogramImpl implements BoundHistogram {
  private readonly _r: RegistryCore;
  constructor(
    private readonly _i: HistogramImpl,
    private readonly _s: HistogramSeries | undefined,
    private readonly _labels: Labels | undefined,
  ) {
    this._r = _i.r;
  }

  record(value: number): void {
    const s = this._s;
    if (this._r.mode === MODE_LOCAL && s !== undefined && typeof value === 'number' && value - value === 0) {
      this._i.observe(s, value);
      return;
    }
    if (s !== undefined) this._i._recordElsewhere(value, this._labels, s);
  }

  startTimer(): Timer {
    return makeTimer((seconds) => this.record(seconds));
  }
}

export class UpDownCounterImpl extends ScalarInstrument implements UpDownCounter {
  add(value: number = 1, labels?: Labels): void {
    if (this.r.mode !== MODE_OFF && isFiniteNumber(value)) {
      const s = this.find(labels);
      if (s !== undefined) {
        s.v += value;
        s.t = 1;
      }
      return;
    }
    if (!isFiniteNumber(value)) return this.reject(value, UPDOWN_RULE);
    this._apply(value, labels, undefined);
  }

  write(s: ScalarSeries, value: number): void {
    s.v += value;
    s.t = 1;
  }

  bind(labels?: Labels): BoundUpDownCounter {
    this.r.activeMode();
    return new BoundUpDownCounterImpl(this, this.bindSeries(labels));
  }
}

export class GaugeImpl extends ScalarInstrument implements Gauge {
  set(value: number, labels?: Labels): void {
    if (this.r.mode !== MODE_OFF && isFiniteNumber(value)) {
      const s = this.find(labels);
      if (s !== undefined) {
        s.v = value;
        s.t = 1;
      }
      return;
    }
    if (!isFiniteNumber(value)) return this.reject(value, GAUGE_RULE);
    this._apply(value, labels, undefined);
  }

  write(s: ScalarSeries, value: number): void {
    s.v = value;
    s.t = 1;
  }

  bind(labels?: Labels): BoundGauge {
    this.r.activeMode();
    return new BoundGaugeImpl(this, this.bindSeries(labels));
  }
}

export class HistogramImpl extends SyncInstrument<HistogramSeries> implements Histogram {
  /** Upper bounds, finite and increasing; bucket `bounds.length` is `+Inf`. */
  readonly bounds: readonly number[];
  /** The same bounds in a typed array: the bucket search reads unboxed doubles. */
  private readonly _b: Float64Array;
  readonly exemplars: boolean;
  private _otel: OtelGaugeLike | undefined;

  constructor(r: RegistryCore, d: InstrumentDescriptor, bounds: readonly number[], exemplars: boolean) {
    super(r, d, () => new HistogramSeries(r.epochSeconds(), bounds.length + 1));
    this.bounds = bounds;
    this._b = Float64Array.from(bounds);
    this.exemplars = exemplars;
  }

  record(value: number, labels?: Labels): void {
    if (this.r.mode === MODE_LOCAL && isFiniteNumber(value)) {
      const s = this.find(labels);
      if (s !== undefined) this.observe(s, value);
      return;
    }
    this._recordElsewhere(value, labels, undefined);
  }

  /**
   * Adds one finite value to a series. Negative values are kept (Prometheus histograms accept
   * them, as prom-client does); the series then exports no sum to OTLP and OpenMetrics.
   */
  observe(s: HistogramSeries, value: number): void {
    const b = this._b;
    const n = b.length;
    let i = 0;
    if (n <= 16) {
      while (i < n && value > b[i]!) i++;
    } else {
      let hi = n;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (value > b[mid]!) i = mid + 1;
        else hi = mid;
      }
    }
    s.counts[i]!++;
    s.sum += value;
    s.count++;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
    s.t = 1;
    if (this.exemplars) this._exemplar(s, i, value);
  }

  private _exemplar(s: HistogramSeries, bucket: number, value: number): void {
    const ctx = this.r.exemplarContext();
    if (ctx === undefined) return;
    (s.ex ??= new Array(this.bounds.length + 1))[bucket] = { value, traceId: ctx.traceId, spanId: ctx.spanId, time: this.r.now() };
  }

  bind(labels?: Labels): BoundHistogram {
    return new BoundHistogramImpl(this, this.bindSeries(labels), labels);
  }

  startTimer(labels?: Labels): Timer {
    return makeTimer((seconds, endLabels) => {
      let merged = labels;
      if (endLabels !== undefined) {
        try {
          merged = labels === undefined ? endLabels : { ...labels, ...endLabels };
        } catch {
          this.r.diag.warn('metric.labels-invalid', `${this.d.promName}: the timer's labels could not be read; record dropped`, this.d.promName);
          this.r.countDropped(this.d.promName, 'invalid_labels');
          return;
        }
      }
      this.record(seconds, merged);
    });
  }

  _recordElsewhere(value: unknown, labels: unknown, s: HistogramSeries | undefined): void {
    if (!isFiniteNumber(value)) return this.reject(value, HISTOGRAM_RULE);
    const mode = this.r.activeMode();
    if (mode === MODE_LOCAL) {
      const target = s ?? this.find(labels as Labels);
      if (target !== undefined) this.observe(target, value);
    } else if (mode === MODE_DELEGATE) {
      const attrs = this.otelAttributes(labels);
      if (attrs === undefined) return;
      this._otel ??= this.r.meter()!.createHistogram(this.d.name, { ...otelOptions(this.d), advice: { explicitBucketBoundaries: [...this.bounds] } });
      this._otel.record(value, attrs);
    }
  }
}

/** A timer whose `end` records once and returns the elapsed seconds. */
export function makeTimer(onEnd: (seconds: number, labels: Labels | undefined) => void): Timer {
  const start = monotonicMs();
  let recorded = -1;
  const end = ((labels?: Labels): number => {
    if (recorded >= 0) return recorded;
    recorded = Math.max(0, (monotonicMs() - start) / 1000);
    onEnd(recorded, labels);
    return recorded;
  }) as Timer;
  end.end = end;
  end[DISPOSE] = () => {
    end();
  };
  return end;
}

/** An observable gauge: callbacks run at collection time and their observations replace the last ones. */
export class ObservableGaugeImpl extends SyncInstrument<ScalarSeries> implements ObservableGauge {
  readonly callbacks: ObservableCallback[] = [];
  private _otelBound = false;

  constructor(r: RegistryCore, d: InstrumentDescriptor) {
    super(r, d, () => new ScalarSeries(r.epochSeconds()));
  }

  addCallback(callback: ObservableCallback): void {
    if (typeof callback !== 'function') {
      this.r.diag.warn('metric.callback-invalid', `${this.d.promName}: addCallback needs a function; ignored`, this.d.promName);
      return;
    }
    this.callbacks.push(callback);
    if (this.r.activeMode() === MODE_DELEGATE) this.bindToOtel();
  }

  removeCallback(callback: ObservableCallback): void {
    const i = this.callbacks.indexOf(callback);
    if (i >= 0) this.callbacks.splice(i, 1);
  }

  /**
   * Runs every callback; the series take what they observe, and those no callback observed this
   * time are dropped. A series observed again keeps its start time, unless a counter's total went
   * down (its source restarted: a new start). Never throws.
   */
  async collect(timeoutMs: number): Promise<void> {
    this.table.forEach((s) => {
      s.t = 0;
    });
    const counter = this.d.kind === 'observablecounter';
    const observer: Observer = {
      observe: (value, labels) => {
        if (!isFiniteNumber(value) || (counter && value < 0)) return this.reject(value, GAUGE_RULE);
        const s = this.find(labels);
        if (s === undefined) return;
        if (counter && s.t === 0 && value < s.v) s.start = this.r.epochSeconds();
        s.v = value;
        s.t = 1;
      },
    };
    await Promise.all(this.callbacks.map((cb) => this._run(cb, observer, timeoutMs)));
    this.table.removeWhere((s) => s.t === 0);
  }

  /**
   * Gives the series whose label `key` is `value` a new start time: their source restarted from
   * zero (`observeDeliveryStats` replacing a signal's queue). Internal; not on the public type.
   */
  restartWhere(key: string, value: string): void {
    const i = this.d.keys.indexOf(key);
    if (i < 0) return;
    const now = this.r.epochSeconds();
    this.table.forEach((s, values) => {
      if (values !== undefined && values[i] === value) {
        s.start = now;
        s.v = 0;
      }
    });
  }

  private async _run(cb: ObservableCallback, observer: Observer, timeoutMs: number): Promise<void> {
    try {
      const result = cb(observer);
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        let timer: unknown;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = GLOBAL_TIMERS.setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const outcome = await Promise.race([Promise.resolve(result).then(() => 'done' as const), timeout]);
        GLOBAL_TIMERS.clearTimeout(timer);
        if (outcome === 'timeout') this.r.diag.warn('metric.callback-timeout', `${this.d.promName}: a callback took longer than ${timeoutMs} ms; its late values are ignored`, this.d.promName);
      }
    } catch (error) {
      this.r.diag.warn('metric.callback-failed', `${this.d.promName}: a callback threw (${describeError(error).slice(0, 200)}); its values are skipped`, this.d.promName);
    }
  }

  /** Delegate mode: one OpenTelemetry observable gauge that runs the same callbacks. */
  bindToOtel(): void {
    if (this._otelBound) return;
    const meter = this.r.meter();
    if (meter === undefined) return;
    this._otelBound = true;
    const gauge =
      this.d.kind === 'observablecounter' && typeof meter.createObservableCounter === 'function'
        ? meter.createObservableCounter(this.d.name, otelOptions(this.d))
        : meter.createObservableGauge(this.d.name, otelOptions(this.d));
    gauge.addCallback(async (result) => {
      const observer: Observer = {
        observe: (value, labels) => {
          if (!isFiniteNumber(value)) return this.reject(value, GAUGE_RULE);
          const attrs = this.otelAttributes(labels);
          if (attrs !== undefined) result.observe(value, attrs);
        },
      };
      for (const cb of this.callbacks) {
        try {
          await cb(observer);
        } catch {
          // Reported the same way in local mode; here OpenTelemetry's reader owns the collection.
        }
      }
    });
  }
}

function otelOptions(d: InstrumentDescriptor): { description: string; unit: string } {
  return { description: d.description, unit: d.unit };
}

export type AnyInstrument = CounterImpl | UpDownCounterImpl | GaugeImpl | HistogramImpl | ObservableGaugeImpl;

/**
 * Whether `inst` is a histogram, by its descriptor rather than `instanceof`: the root and the
 * subpaths of the built package are separate bundles (packages/core/tsup.config.ts), so a
 * registry made by one is read by another's copy of this module.
 */
export function isHistogram(inst: AnyInstrument): inst is HistogramImpl {
  return inst.d.kind === 'histogram';
}
