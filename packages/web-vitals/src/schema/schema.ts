import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { ConfigIssue, Diagnostics, MetricsRegistry, SafeParser } from '@lookout/core';
import { MAX_LANDING_URL_LENGTH, resolveFromValid, WEB_VITALS_FIELD_CHECKS } from '../config.js';
import type { ResolvedWebVitalsOptions } from '../config.js';
import type { BudgetBreach, SoftNavigation, VitalReport, VitalsEventSink, WebVitalsOptions } from '../types.js';

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
  landingUrl: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_LANDING_URL_LENGTH))),
  reportAllChanges: z.optional(z.boolean()),
  maxAttributionLength: z.optional(z.int().check(z.minimum(8), z.maximum(1000))),
  diagnostics: z.optional(z.custom<Diagnostics>((v) => WEB_VITALS_FIELD_CHECKS.diagnostics(v) === true, 'must be a Diagnostics (warn, error, info, debug, internalError)')),
  strict: z.optional(z.boolean()),
});

// The documented options type and the schema must describe the same input.
type _SchemaAcceptsOptions = WebVitalsOptions extends z.input<typeof webVitalsSchema> ? true : never;
const _schemaAcceptsOptions: _SchemaAcceptsOptions = true;
void _schemaAcceptsOptions;

/**
 * Validates collector options with core's `resolveOptions` and the zod schema: each invalid
 * field gets one diagnostic naming its path and falls back to its default; `strict: true` throws
 * `LookoutConfigError`. `FID` in `metrics` becomes INP, with an info diagnostic. The collector
 * itself checks its options without zod ({@link readWebVitalsOptions}) and loads this module only
 * to explain options it refused.
 */
export function resolveWebVitalsOptions(
  input: unknown,
  diagnostics?: Diagnostics,
): { ok: boolean; options: ResolvedWebVitalsOptions; issues: ConfigIssue[] } {
  const context = diagnostics === undefined ? { component: 'createWebVitalsCollector' } : { component: 'createWebVitalsCollector', diagnostics };
  const result = resolveOptions<z.output<typeof webVitalsSchema>>(webVitalsSchema as SafeParser<z.output<typeof webVitalsSchema>>, input, context);
  const options = resolveFromValid(result.options ?? {}, diagnostics);
  return { ok: result.ok, options, issues: result.ok ? [] : result.issues };
}
