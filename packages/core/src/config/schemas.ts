import * as z from 'zod/mini';
import { isHttpUrl } from '../internal/url.js';
import { PROFILES } from './profiles.js';

/** zod/mini building blocks shared by Lookout's option schemas. */
export const profileSchema = z.enum(PROFILES as ['development', 'staging', 'production']);
export const diagLevelSchema = z.enum(['none', 'error', 'warn', 'info', 'debug']);
export const positiveIntSchema = z.int().check(z.positive());
export const nonNegativeIntSchema = z.int().check(z.nonnegative());
export const portSchema = z.int().check(z.minimum(0), z.maximum(65_535));
export const httpUrlSchema = z.string().check(z.refine(isHttpUrl, 'must be an http(s) URL'));
export const headersSchema = z.record(z.string(), z.string());
export const loggerSchema = z.custom<{ error: unknown; warn: unknown; info: unknown; debug: unknown }>(
  (v) => v !== null && typeof v === 'object' && ['error', 'warn', 'info', 'debug'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
  'must have error, warn, info and debug methods',
);
export const diagnosticsOptionsSchema = z.strictObject({
  level: z.optional(diagLevelSchema),
  logger: z.optional(loggerSchema),
  maxPerMinute: z.optional(positiveIntSchema),
});
export const registryLikeSchema = z.custom<object>(
  (v) => v !== null && typeof v === 'object' && typeof (v as { instruments?: unknown }).instruments === 'function',
  'must be a MetricsRegistry',
);
