import { booleanField, diagnosticsField, functionField, methodsField, quickResolve, textField } from '@lookout/core/page';
import type { Diagnostics, FieldCheck, MetricsRegistry } from '@lookout/core';
import { BUDGETS_CHECK } from './budgetsCheck.js';
import type { BudgetBreach, SoftNavigation, VitalName, VitalReport, VitalsEventSink, WebVitalsOptions } from './types.js';

import { VITAL_NAMES, DEFAULT_FCP_BUDGET_MS, DEFAULT_LCP_BUDGET_MS, DEFAULT_CLS_BUDGET, DEFAULT_INP_BUDGET_MS, DEFAULT_BUDGETS, DEFAULT_VITAL_EVENT_NAME, DEFAULT_SOFT_NAVIGATION_EVENT_NAME, DEFAULT_MAX_ATTRIBUTION_LENGTH, MAX_LANDING_URL_LENGTH, MAX_ROUTE_LENGTH } from './constants.js';

export { VITAL_NAMES, DEFAULT_FCP_BUDGET_MS, DEFAULT_LCP_BUDGET_MS, DEFAULT_CLS_BUDGET, DEFAULT_INP_BUDGET_MS, DEFAULT_BUDGETS, DEFAULT_VITAL_EVENT_NAME, DEFAULT_SOFT_NAVIGATION_EVENT_NAME, DEFAULT_MAX_ATTRIBUTION_LENGTH, MAX_LANDING_URL_LENGTH, MAX_ROUTE_LENGTH };

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
  landingUrl: string | undefined;
  reportAllChanges: boolean;
  maxAttributionLength: number;
  diagnostics: Diagnostics | undefined;
}

const isEventName = textField(1, 256);
const REQUESTABLE = ['CLS', 'FCP', 'INP', 'LCP', 'TTFB', 'FID'];

/** One check per option, accepting exactly what the zod schema of `@lookout/web-vitals/schema` accepts. */
export const WEB_VITALS_FIELD_CHECKS: Readonly<Record<keyof WebVitalsOptions, FieldCheck>> = {
  metrics: (v) => Array.isArray(v) && v.every((name) => REQUESTABLE.includes(name as string)),
  telemetry: methodsField('track'),
  eventName: isEventName,
  softNavigationEventName: isEventName,
  registry: methodsField('histogram'),
  budgets: BUDGETS_CHECK,
  onBudgetExceeded: functionField,
  onReport: functionField,
  onSoftNavigation: functionField,
  getRoute: functionField,
  reportSoftNavs: booleanField,
  landingUrl: textField(1, MAX_LANDING_URL_LENGTH),
  reportAllChanges: booleanField,
  maxAttributionLength: (v) => Number.isSafeInteger(v) && (v as number) >= 8 && (v as number) <= 1000,
  // Every method the collector calls (an object with only `warn` threw from inside its `catch`).
  diagnostics: diagnosticsField,
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
    landingUrl: o.landingUrl,
    reportAllChanges: o.reportAllChanges ?? false,
    maxAttributionLength: o.maxAttributionLength ?? DEFAULT_MAX_ATTRIBUTION_LENGTH,
    diagnostics: o.diagnostics,
  };
}
