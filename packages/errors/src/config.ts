import * as z from 'zod/mini';
import { resolveOptions } from '@lookout/core';
import type { Diagnostics, MetricsRegistry, Redactor, ResolveResult } from '@lookout/core';
import type { ErrorCategory, ErrorRecord, ErrorSink, Severity, SpikeEvent } from './types.js';
import { DEFAULT_MAX_BREADCRUMBS, DEFAULT_MAX_GROUPS, DEFAULT_FINGERPRINT_FRAMES, DEFAULT_MAX_STACK_FRAMES, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_RATE_LIMIT_PER_GROUP, DEFAULT_RATE_LIMIT_WINDOW_MS, DEFAULT_SPIKE_WINDOW_MS, DEFAULT_SPIKE_GROUP_THRESHOLD, DEFAULT_SPIKE_CATEGORY_THRESHOLD, DEFAULT_SPIKE_COOLDOWN_MS, MAX_CUSTOM_CATEGORIES, DEFAULT_ERRORS_NAMESPACE } from './constants.js';

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', `must be a function (${what})`);
const positiveInt = z.int().check(z.positive());
const nonNegativeInt = z.int().check(z.nonnegative());
const categoryName = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,31}$/, 'must match [a-z][a-z0-9_]{0,31}'));

const registryLike = z.custom<MetricsRegistry>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { counter?: unknown }).counter === 'function',
  'must be a MetricsRegistry',
);
const diagnosticsLike = z.custom<Diagnostics>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { warn?: unknown }).warn === 'function' && typeof (v as { internalError?: unknown }).internalError === 'function',
  'must be a Diagnostics',
);
const redactorLike = z.custom<Redactor>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { redact?: unknown }).redact === 'function' && typeof (v as { redactString?: unknown }).redactString === 'function',
  'must be a Redactor (createRedactor())',
);
const sinkLike = z.custom<ErrorSink>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { capture?: unknown }).capture === 'function',
  'must be an ErrorSink with capture()',
);

const errorTrackerSchema = z.strictObject({
  enabled: z.optional(z.boolean()),
  namespace: z.optional(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be a metric name prefix'))),
  registry: z.optional(registryLike),
  diagnostics: z.optional(diagnosticsLike),
  redactor: z.optional(redactorLike),
  categories: z.optional(z.array(categoryName).check(z.maxLength(MAX_CUSTOM_CATEGORIES))),
  defaultCategory: z.optional(categoryName),
  classify: z.optional(fn<(error: unknown) => { category?: ErrorCategory; severity?: Severity } | undefined>('classify')),
  beforeCapture: z.optional(fn<(record: ErrorRecord) => ErrorRecord | null | undefined>('beforeCapture')),
  sinks: z.optional(z.array(sinkLike)),
  tags: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  maxBreadcrumbs: z.optional(nonNegativeInt.check(z.maximum(1000))),
  maxGroups: z.optional(positiveInt),
  fingerprintFrames: z.optional(nonNegativeInt.check(z.maximum(20))),
  maxStackFrames: z.optional(positiveInt.check(z.maximum(500))),
  maxMessageLength: z.optional(positiveInt),
  isInApp: z.optional(fn<(filename: string) => boolean>('isInApp')),
  rateLimit: z.optional(
    z.union([
      z.literal(false),
      z.strictObject({ perGroup: z.optional(positiveInt), windowMs: z.optional(positiveInt) }),
    ]),
  ),
  spike: z.optional(
    z.strictObject({
      onSpike: fn<(spike: SpikeEvent) => void>('spike.onSpike'),
      windowMs: z.optional(positiveInt),
      groupThreshold: z.optional(positiveInt),
      categoryThreshold: z.optional(positiveInt),
      cooldownMs: z.optional(nonNegativeInt),
    }),
  ),
  now: z.optional(fn<() => number>('now')),
  random: z.optional(fn<() => number>('random')),
  strict: z.optional(z.boolean()),
});

/** Options of `createErrorTracker`. Every field is optional. */
export type ErrorTrackerOptions = z.input<typeof errorTrackerSchema>;

/** {@link ErrorTrackerOptions} after validation, with defaults filled in. */
export interface ResolvedErrorTrackerOptions {
  enabled: boolean;
  namespace: string;
  registry: MetricsRegistry | undefined;
  diagnostics: Diagnostics | undefined;
  redactor: Redactor | undefined;
  categories: readonly string[];
  defaultCategory: ErrorCategory;
  classify: ((error: unknown) => { category?: ErrorCategory; severity?: Severity } | undefined) | undefined;
  beforeCapture: ((record: ErrorRecord) => ErrorRecord | null | undefined) | undefined;
  sinks: ErrorSink[];
  tags: Record<string, string>;
  maxBreadcrumbs: number;
  maxGroups: number;
  fingerprintFrames: number;
  maxStackFrames: number;
  maxMessageLength: number;
  isInApp: ((filename: string) => boolean) | undefined;
  rateLimit: { perGroup: number; windowMs: number } | false;
  spike:
    | { onSpike: (spike: SpikeEvent) => void; windowMs: number; groupThreshold: number; categoryThreshold: number; cooldownMs: number }
    | undefined;
  now: () => number;
  random: () => number;
}

/**
 * Validates tracker options: each invalid field gets one diagnostic naming its path and falls
 * back to its default; `strict: true` throws `LookoutConfigError` instead.
 */
export function resolveErrorTrackerOptions(input: unknown, diagnostics?: Diagnostics): ResolveResult<ResolvedErrorTrackerOptions> {
  const context = diagnostics === undefined ? { component: 'createErrorTracker' } : { component: 'createErrorTracker', diagnostics };
  const result = resolveOptions<z.output<typeof errorTrackerSchema>>(errorTrackerSchema, input, context);
  const o: z.output<typeof errorTrackerSchema> = result.options ?? {};
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.tags ?? {})) tags[k] = String(v);
  const resolved: ResolvedErrorTrackerOptions = {
    enabled: o.enabled ?? true,
    namespace: o.namespace ?? DEFAULT_ERRORS_NAMESPACE,
    registry: o.registry,
    diagnostics: o.diagnostics,
    redactor: o.redactor,
    categories: o.categories ?? [],
    defaultCategory: o.defaultCategory ?? 'javascript',
    classify: o.classify,
    beforeCapture: o.beforeCapture,
    sinks: [...(o.sinks ?? [])],
    tags,
    maxBreadcrumbs: o.maxBreadcrumbs ?? DEFAULT_MAX_BREADCRUMBS,
    maxGroups: o.maxGroups ?? DEFAULT_MAX_GROUPS,
    fingerprintFrames: o.fingerprintFrames ?? DEFAULT_FINGERPRINT_FRAMES,
    maxStackFrames: o.maxStackFrames ?? DEFAULT_MAX_STACK_FRAMES,
    maxMessageLength: o.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    isInApp: o.isInApp,
    rateLimit:
      o.rateLimit === false
        ? false
        : { perGroup: o.rateLimit?.perGroup ?? DEFAULT_RATE_LIMIT_PER_GROUP, windowMs: o.rateLimit?.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS },
    spike:
      o.spike === undefined
        ? undefined
        : {
            onSpike: o.spike.onSpike,
            windowMs: o.spike.windowMs ?? DEFAULT_SPIKE_WINDOW_MS,
            groupThreshold: o.spike.groupThreshold ?? DEFAULT_SPIKE_GROUP_THRESHOLD,
            categoryThreshold: o.spike.categoryThreshold ?? DEFAULT_SPIKE_CATEGORY_THRESHOLD,
            cooldownMs: o.spike.cooldownMs ?? DEFAULT_SPIKE_COOLDOWN_MS,
          },
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  };
  return result.ok ? { ok: true, options: resolved } : { ok: false, options: resolved, issues: result.issues };
}

