import { booleanField, functionField, methodsField, quickResolve, textField } from '@lookout/core/page';
import type { Diagnostics, FieldCheck, MetricsRegistry } from '@lookout/core';
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

const isEventName = textField(1, 256);
const isBudget = (v: unknown): boolean => v === undefined || v === false || (typeof v === 'number' && v > 0 && Number.isFinite(v));
const REQUESTABLE = ['CLS', 'FCP', 'INP', 'LCP', 'TTFB', 'FID'];

/** One check per option, accepting exactly what the zod schema of `@lookout/web-vitals/schema` accepts. */
export const WEB_VITALS_FIELD_CHECKS: Readonly<Record<keyof WebVitalsOptions, FieldCheck>> = {
  metrics: (v) => Array.isArray(v) && v.every((name) => REQUESTABLE.includes(name as string)),
  telemetry: methodsField('track'),
  eventName: isEventName,
  softNavigationEventName: isEventName,
  registry: methodsField('histogram'),
  budgets: (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (Object.keys(v).find((k) => !VITAL_NAMES.includes(k as VitalName) || !isBudget((v as Record<string, unknown>)[k])) ?? true)
      : false,
  onBudgetExceeded: functionField,
  onReport: functionField,
  onSoftNavigation: functionField,
  getRoute: functionField,
  reportSoftNavs: booleanField,
  reportAllChanges: booleanField,
  maxAttributionLength: (v) => Number.isSafeInteger(v) && (v as number) >= 8 && (v as number) <= 1000,
  diagnostics: methodsField('warn'),
  strict: booleanField,
};

/**
 * Checks collector options without zod (core's `quickResolve`, held to the zod schema of
 * `@lookout/web-vitals/schema` by a property test): each invalid or unknown field gets one
 * diagnostic and falls back to its default; `strict: true` throws `LookoutConfigError`. `FID` in `metrics` becomes INP, with an info
 * diagnostic.
 */
export function readWebVitalsOptions(input: unknown, diagnostics?: Diagnostics): ResolvedWebVitalsOptions {
  const { options } = quickResolve(input, WEB_VITALS_FIELD_CHECKS, 'createWebVitalsCollector', diagnostics);
  return resolveFromValid(options as WebVitalsOptions, diagnostics);
}

/** Defaults filled into options already known to be valid. */
export function resolveFromValid(o: WebVitalsOptions, diagnostics: Diagnostics | undefined): ResolvedWebVitalsOptions {
  const metrics = new Set<VitalName>();
  for (const name of o.metrics ?? VITAL_NAMES) {
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
  return {
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
}
