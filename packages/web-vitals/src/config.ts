import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { ConfigIssue, Diagnostics, MetricsRegistry, SafeParser } from '@lookout/core';
import type { BudgetBreach, SoftNavigation, VitalName, VitalReport, VitalsEventSink, WebVitalsOptions } from './types.js';

/** Every metric, in reporting order. */
export const VITAL_NAMES: readonly VitalName[] = ['TTFB', 'FCP', 'LCP', 'CLS', 'INP'];
/** Default FCP budget: 2.0 s. */
export const DEFAULT_FCP_BUDGET_MS = 2000;
/** Default LCP budget: 3.0 s. */
export const DEFAULT_LCP_BUDGET_MS = 3000;
/** Default CLS budget (unitless). */
export const DEFAULT_CLS_BUDGET = 0.1;
/** Default INP budget: 200 ms. */
export const DEFAULT_INP_BUDGET_MS = 200;
/** Default budgets; TTFB has none unless the host sets one. */
export const DEFAULT_BUDGETS: Readonly<Partial<Record<VitalName, number>>> = Object.freeze({
  FCP: DEFAULT_FCP_BUDGET_MS,
  LCP: DEFAULT_LCP_BUDGET_MS,
  CLS: DEFAULT_CLS_BUDGET,
  INP: DEFAULT_INP_BUDGET_MS,
});
/** Default name of report events. */
export const DEFAULT_VITAL_EVENT_NAME = 'web_vital';
/** Default name of router-driven soft navigation events. */
export const DEFAULT_SOFT_NAVIGATION_EVENT_NAME = 'soft_navigation';
/** Default longest attribution text, in characters. */
export const DEFAULT_MAX_ATTRIBUTION_LENGTH = 100;
/** Longest route label, in characters. */
export const MAX_ROUTE_LENGTH = 128;

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `must be a function (${what})`);
const budget = z.union([z.literal(false), z.number().check(z.positive(), z.refine(Number.isFinite, 'must be finite'))]);
const eventName = z.string().check(z.minLength(1), z.maxLength(256));

const webVitalsSchema = z.strictObject({
  metrics: z.optional(z.readonly(z.array(z.enum(['CLS', 'FCP', 'INP', 'LCP', 'TTFB', 'FID'])))),
  telemetry: z.optional(z.custom<VitalsEventSink>((v) => typeof v === 'object' && v !== null && typeof (v as VitalsEventSink).track === 'function', 'must have track()')),
  eventName: z.optional(eventName),
  softNavigationEventName: z.optional(eventName),
  registry: z.optional(z.custom<MetricsRegistry>((v) => typeof v === 'object' && v !== null && typeof (v as MetricsRegistry).histogram === 'function', 'must be a MetricsRegistry')),
  budgets: z.optional(z.strictObject({ CLS: z.optional(budget), FCP: z.optional(budget), INP: z.optional(budget), LCP: z.optional(budget), TTFB: z.optional(budget) })),
  onBudgetExceeded: z.optional(fn<(breach: BudgetBreach) => void>('onBudgetExceeded')),
  onReport: z.optional(fn<(report: VitalReport) => void>('onReport')),
  onSoftNavigation: z.optional(fn<(navigation: SoftNavigation) => void>('onSoftNavigation')),
  getRoute: z.optional(fn<() => string | undefined>('getRoute')),
  reportSoftNavs: z.optional(z.boolean()),
  reportAllChanges: z.optional(z.boolean()),
  maxAttributionLength: z.optional(z.int().check(z.minimum(8), z.maximum(1000))),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => typeof v === 'object' && v !== null && typeof (v as Diagnostics).warn === 'function', 'must be a Diagnostics')),
  strict: z.optional(z.boolean()),
});

// The documented options type and the schema must describe the same input.
type _SchemaAcceptsOptions = WebVitalsOptions extends z.input<typeof webVitalsSchema> ? true : never;
const _schemaAcceptsOptions: _SchemaAcceptsOptions = true;
void _schemaAcceptsOptions;

/** {@link WebVitalsOptions} after validation, defaults filled in. */
export interface ResolvedWebVitalsOptions {
  metrics: readonly VitalName[];
  telemetry: VitalsEventSink | undefined;
  eventName: string;
  softNavigationEventName: string;
  registry: MetricsRegistry | undefined;
  budgets: Readonly<Partial<Record<VitalName, number>>>;
  onBudgetExceeded: ((breach: BudgetBreach) => void) | undefined;
  onReport: ((report: VitalReport) => void) | undefined;
  onSoftNavigation: ((navigation: SoftNavigation) => void) | undefined;
  getRoute: (() => string | undefined) | undefined;
  reportSoftNavs: boolean;
  reportAllChanges: boolean;
  maxAttributionLength: number;
  diagnostics: Diagnostics | undefined;
}

/**
 * Validates collector options with core's `resolveOptions`: each invalid field gets one
 * diagnostic naming its path and falls back to its default; `strict: true` throws
 * `LookoutConfigError`. `FID` in `metrics` becomes INP, with an info diagnostic.
 */
export function resolveWebVitalsOptions(
  input: unknown,
  diagnostics?: Diagnostics,
): { ok: boolean; options: ResolvedWebVitalsOptions; issues: ConfigIssue[] } {
  const context = diagnostics === undefined ? { component: 'createWebVitalsCollector' } : { component: 'createWebVitalsCollector', diagnostics };
  const result = resolveOptions<z.output<typeof webVitalsSchema>>(webVitalsSchema as SafeParser<z.output<typeof webVitalsSchema>>, input, context);
  const o = result.options ?? {};
  const requested = o.metrics ?? VITAL_NAMES;
  const metrics = new Set<VitalName>();
  for (const name of requested) {
    if (name === 'FID') {
      // web-vitals 5 removed onFID: INP replaced FID as the Core Web Vital of responsiveness.
      (o.diagnostics ?? diagnostics)?.info('web-vitals/fid', 'createWebVitalsCollector: FID is no longer measured by web-vitals; INP is collected instead', 'web-vitals:fid');
      metrics.add('INP');
    } else metrics.add(name);
  }
  const budgets: Partial<Record<VitalName, number>> = { ...DEFAULT_BUDGETS };
  for (const [name, value] of Object.entries(o.budgets ?? {}) as [VitalName, number | false | undefined][]) {
    if (value === false) delete budgets[name];
    else if (value !== undefined) budgets[name] = value;
  }
  const options: ResolvedWebVitalsOptions = {
    metrics: VITAL_NAMES.filter((n) => metrics.has(n)),
    telemetry: o.telemetry,
    eventName: o.eventName ?? DEFAULT_VITAL_EVENT_NAME,
    softNavigationEventName: o.softNavigationEventName ?? DEFAULT_SOFT_NAVIGATION_EVENT_NAME,
    registry: o.registry,
    budgets,
    onBudgetExceeded: o.onBudgetExceeded,
    onReport: o.onReport,
    onSoftNavigation: o.onSoftNavigation,
    getRoute: o.getRoute,
    reportSoftNavs: o.reportSoftNavs ?? true,
    reportAllChanges: o.reportAllChanges ?? false,
    maxAttributionLength: o.maxAttributionLength ?? DEFAULT_MAX_ATTRIBUTION_LENGTH,
    diagnostics: o.diagnostics,
  };
  return { ok: result.ok, options, issues: result.ok ? [] : result.issues };
}
