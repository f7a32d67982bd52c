import type { Diagnostics } from '../diagnostics/index.js';

/** A label value as the host passes it. Numbers and booleans are stringified; anything else is rejected. */
export type LabelValue = string | number | boolean;

/** Labels for one record, keyed by the instrument's declared label keys. Undeclared keys are dropped. */
export type Labels<K extends string = string> = { readonly [P in K]?: LabelValue };

/** The kinds of instrument a registry holds. */
export type InstrumentKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram' | 'observablegauge' | 'observablecounter';

/**
 * Units follow OpenTelemetry's UCUM conventions and Prometheus's base units: `s` (seconds),
 * `By` (bytes), `1` (dimensionless), or an annotation in braces such as `{request}`.
 * Other units (`ms`, `kB` …) are rejected with a diagnostic and the instrument gets no unit:
 * record in base units instead.
 */
export type Unit = 's' | 'By' | '1' | `{${string}}` | '';

export interface InstrumentOptions<K extends string = string> {
  /** One line that says what is measured. Becomes `# HELP` and the OTel description. */
  description?: string;
  /** See {@link Unit}. Default `''`. */
  unit?: Unit | (string & {});
  /** The label keys this instrument accepts, in the order they are exported. Default none. */
  labels?: readonly K[];
  /**
   * Most distinct label sets kept; records for new sets past the cap go to one overflow series
   * labelled `otel_metric_overflow="true"` and are counted in `lookout_metric_series_overflow_total`.
   * Default: the registry's `cardinalityLimit` (2000).
   */
  cardinalityLimit?: number;
  /**
   * Drop a series that was not updated for this long (ms, with one-second resolution), checked at collection time.
   * Series of bound handles are never dropped. Default: the registry's `seriesTtlMs` (off).
   */
  seriesTtlMs?: number;
}

export interface HistogramOptions<K extends string = string> extends InstrumentOptions<K> {
  /**
   * Upper bounds of the buckets, strictly increasing and finite (`+Inf` is implicit).
   * Default by unit: seconds → 5 ms … 10 s, bytes → 256 B … 1 GiB in powers of 4, otherwise
   * OpenTelemetry's default boundaries.
   */
  buckets?: readonly number[];
  /**
   * Keep, per bucket, the last exemplar (trace and span id) from the registry's exemplar source
   * (set by `@lookout/core/sdk` from the active OpenTelemetry span). Costs a lookup per record. Default false.
   */
  exemplars?: boolean;
}

/** A bound counter: a series chosen once, whose `add` does no label work. */
export interface BoundCounter {
  /** Adds a finite, non-negative `value` (default 1). Anything else is dropped with a diagnostic. */
  add(value?: number): void;
}
export interface BoundUpDownCounter {
  /** Adds a finite `value` (may be negative). Default 1. */
  add(value?: number): void;
}
export interface BoundGauge {
  /** Sets the current value. Must be finite. */
  set(value: number): void;
}
export interface BoundHistogram {
  /** Records one finite observation. */
  record(value: number): void;
  /** Starts a timer whose `end()` records the elapsed seconds. See {@link Timer}. */
  startTimer(): Timer;
}

/**
 * A running timer. Call it (or `end()`) to record the elapsed time in seconds; it returns the
 * seconds recorded. Recording happens once: later calls return the same figure. Works with `using`.
 */
export interface Timer<K extends string = string> {
  (labels?: Labels<K>): number;
  end(labels?: Labels<K>): number;
  [Symbol.dispose](): void;
}

export interface Counter<K extends string = string> {
  readonly name: string;
  /** Adds a finite, non-negative `value` (default 1) to the series of `labels`. */
  add(value?: number, labels?: Labels<K>): void;
  /** A handle for one label set; its `add` does no label work at all. */
  bind(labels?: Labels<K>): BoundCounter;
}
export interface UpDownCounter<K extends string = string> {
  readonly name: string;
  /** Adds a finite `value` (may be negative; default 1). */
  add(value?: number, labels?: Labels<K>): void;
  bind(labels?: Labels<K>): BoundUpDownCounter;
}
export interface Gauge<K extends string = string> {
  readonly name: string;
  /** Sets the current value of the series of `labels`. */
  set(value: number, labels?: Labels<K>): void;
  bind(labels?: Labels<K>): BoundGauge;
}
export interface Histogram<K extends string = string> {
  readonly name: string;
  /** Records one finite observation into the series of `labels`. */
  record(value: number, labels?: Labels<K>): void;
  bind(labels?: Labels<K>): BoundHistogram;
  /** Starts a timer; its `end(labels)` records elapsed seconds. Labels given here and at the end are merged. */
  startTimer(labels?: Labels<K>): Timer<K>;
}

/** Passed to an observable gauge's callback at each collection. */
export interface Observer<K extends string = string> {
  observe(value: number, labels?: Labels<K>): void;
}
export type ObservableCallback<K extends string = string> = (observer: Observer<K>) => void | Promise<void>;

/** An observable instrument: a gauge, or a counter whose callbacks report a running total. */
export interface ObservableGauge<K extends string = string> {
  readonly name: string;
  /** Adds another callback. */
  addCallback(callback: ObservableCallback<K>): void;
  removeCallback(callback: ObservableCallback<K>): void;
}

/** Where exemplars come from: the active trace, if any. */
export type ExemplarSource = () => { traceId: string; spanId: string } | undefined;

export interface RegistryOptions {
  /** Default per-instrument cardinality limit. Default 2000. */
  cardinalityLimit?: number;
  /** Default series TTL in ms; 0 means never drop. Default 0. */
  seriesTtlMs?: number;
  /** Longest label value kept; longer ones are truncated with a diagnostic. Default 256. */
  maxLabelValueLength?: number;
  /** Where problems are reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
  /** Clock in ms for TTL and timestamps. Default `Date.now`. */
  now?: () => number;
}

/** How a registry currently treats records. */
export type RegistryMode = 'off' | 'local' | 'delegate';
