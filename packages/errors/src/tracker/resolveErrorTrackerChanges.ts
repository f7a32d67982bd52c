import * as z from 'zod/mini';
import { resolveChanges } from '@lookout/core';
import type { Diagnostics, SafeParser } from '@lookout/core';
import type { ErrorCategory, ErrorRecord, Severity, SpikeEvent } from '../types.js';

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `must be a function (${what})`);
const positiveInt = z.int().check(z.positive());
const nonNegativeInt = z.int().check(z.nonnegative());

/**
 * Schema of {@link ErrorTrackerChanges}. `false` for `rateLimit` and `spike` is taken before
 * parsing (no unions here, so each invalid nested field is its own issue).
 */
export const errorTrackerChangesSchema = z.strictObject({
  enabled: z.optional(z.boolean()),
  rateLimit: z.optional(z.strictObject({ perGroup: z.optional(positiveInt), windowMs: z.optional(positiveInt) })),
  spike: z.optional(
    z.strictObject({
      onSpike: z.optional(fn<(spike: SpikeEvent) => void>('spike.onSpike')),
      windowMs: z.optional(positiveInt),
      groupThreshold: z.optional(positiveInt),
      categoryThreshold: z.optional(positiveInt),
      cooldownMs: z.optional(nonNegativeInt),
    }),
  ),
  classify: z.optional(fn<(error: unknown) => { category?: ErrorCategory; severity?: Severity } | undefined>('classify')),
  beforeCapture: z.optional(fn<(record: ErrorRecord) => ErrorRecord | null | undefined>('beforeCapture')),
  tags: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  maxBreadcrumbs: z.optional(nonNegativeInt.check(z.maximum(1000))),
});

/**
 * What `ErrorTracker.configure()` may change at run time. `rateLimit` and `spike` objects change
 * only the fields given (the others keep their current values); `false` turns them off.
 * `classify` and `beforeCapture` set to `undefined` remove the hook; `tags` replaces the tags
 * added to every record.
 */
export type ErrorTrackerChanges = Omit<z.input<typeof errorTrackerChangesSchema>, 'rateLimit' | 'spike'> & {
  rateLimit?: false | z.input<typeof errorTrackerChangesSchema>['rateLimit'];
  spike?: false | z.input<typeof errorTrackerChangesSchema>['spike'];
};

/** Valid changes, as `configure()` applies them. */
export type ResolvedErrorTrackerChanges = Omit<z.output<typeof errorTrackerChangesSchema>, 'rateLimit' | 'spike'> & {
  rateLimit?: false | z.output<typeof errorTrackerChangesSchema>['rateLimit'];
  spike?: false | z.output<typeof errorTrackerChangesSchema>['spike'];
};

/** Options set once by `createErrorTracker` (sinks, registry, grouping …); `configure()` refuses them. */
export const ERROR_TRACKER_FIXED_OPTIONS: readonly string[] = [
  'namespace',
  'registry',
  'diagnostics',
  'redactor',
  'categories',
  'defaultCategory',
  'sinks',
  'maxGroups',
  'fingerprintFrames',
  'maxStackFrames',
  'maxMessageLength',
  'isInApp',
  'now',
  'random',
  'strict',
  'dsn',
  'sentry',
];

/**
 * Validates `configure()` changes. Never throws. Each option fixed at creation, unknown option and
 * invalid value gets one diagnostic (`errors/invalid-changes`) and is left out, so the current
 * value stays; whatever is valid is returned.
 */
export function resolveErrorTrackerChanges(input: unknown, diagnostics: Diagnostics): ResolvedErrorTrackerChanges {
  return resolveChanges(errorTrackerChangesSchema as SafeParser<ResolvedErrorTrackerChanges>, input, {
    component: 'ErrorTracker.configure',
    code: 'errors/invalid-changes',
    diagnostics,
    fixed: ERROR_TRACKER_FIXED_OPTIONS,
    switches: ['rateLimit', 'spike'],
  });
}
