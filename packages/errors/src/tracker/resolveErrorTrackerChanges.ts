import * as z from 'zod/mini';
import type { Diagnostics } from '@lookout/core';
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
  const warn = (path: string, message: string): void =>
    diagnostics.warn('errors/invalid-changes', `ErrorTracker.configure: ${path}: ${message}; the current value is kept`, `configure\u0000${path}\u0000${message}`);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    warn('(changes)', 'must be an object');
    return {};
  }
  let pending: Record<string, unknown> = {};
  const off: { rateLimit?: false; spike?: false } = {};
  try {
    for (const [key, value] of Object.entries(input)) {
      if (ERROR_TRACKER_FIXED_OPTIONS.includes(key)) warn(key, 'is fixed at creation');
      else if (value === false && (key === 'rateLimit' || key === 'spike')) off[key] = false;
      else pending[key] = value;
    }
  } catch {
    warn('(changes)', 'could not be read');
    return {};
  }
  // Like core's resolveOptions, but an invalid value keeps the current setting (not the default).
  for (let pass = 0; pass < 3; pass++) {
    const result = errorTrackerChangesSchema.safeParse(pending);
    if (result.success) return { ...result.data, ...off };
    for (const issue of result.error.issues) {
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of paths) {
        warn(path.map(String).join('.'), issue.code === 'unrecognized_keys' ? 'unknown option' : issue.message);
        pending = withoutPath(pending, path);
      }
    }
  }
  return off;
}

/** A copy of `record` without the value at `path` (one or two levels; deeper drops the top-level key). */
function withoutPath(record: Record<string, unknown>, path: readonly PropertyKey[]): Record<string, unknown> {
  const [head, next] = path;
  if (head === undefined) return {};
  const copy = { ...record };
  const key = String(head);
  const inner = copy[key];
  if (path.length === 2 && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
    const rest = { ...(inner as Record<string, unknown>) };
    delete rest[String(next)];
    copy[key] = rest;
  } else delete copy[key];
  return copy;
}
