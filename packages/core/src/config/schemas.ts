import * as z from 'zod/mini';
import { PROFILES } from './profiles.js';

/** zod/mini building blocks shared by Lookout's option schemas. */
export const profileSchema = z.enum(PROFILES as ['development', 'staging', 'production']);
export const diagLevelSchema = z.enum(['none', 'error', 'warn', 'info', 'debug']);
export const positiveIntSchema = z.int().check(z.positive());
export const nonNegativeIntSchema = z.int().check(z.nonnegative());
export const portSchema = z.int().check(z.minimum(0), z.maximum(65_535));
type UrlConstructor = new (input: string) => { protocol: string };

export const httpUrlSchema = z.string().check(
  z.refine((s) => {
    try {
      const u = new (globalThis as unknown as { URL: UrlConstructor }).URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);
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
