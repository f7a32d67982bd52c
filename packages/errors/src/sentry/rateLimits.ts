import { parseRetryAfter } from '@lookout/core';

/** Sentry's wait when a 429 names no time. */
export const DEFAULT_SENTRY_RATE_LIMIT_MS = 60_000;
/** Longest rate-limit header looked at. */
const MAX_HEADER_LENGTH = 4096;

/**
 * Sentry's rate limits (https://develop.sentry.dev/sdk/expected-features/rate-limiting/): the
 * `X-Sentry-Rate-Limits` header (`seconds:cat1;cat2:scope[:reason[:namespaces]], …`, no categories
 * meaning all), else `Retry-After` on a 429, else 60 s on a bare 429. Remembers, per category,
 * until when sending is paused.
 */
export class SentryRateLimits {
  private readonly _until = new Map<string, number>();

  /** Reads one response's headers. */
  update(status: number | undefined, rateLimitsHeader: string | null | undefined, retryAfterHeader: string | null | undefined, now: number): void {
    if (typeof rateLimitsHeader === 'string' && rateLimitsHeader.trim() !== '') {
      for (const quota of rateLimitsHeader.slice(0, MAX_HEADER_LENGTH).split(',')) {
        const [seconds, categories] = quota.trim().split(':', 3);
        const parsed = Number.parseInt(seconds ?? '', 10);
        const until = now + (Number.isFinite(parsed) && parsed >= 0 ? parsed * 1000 : DEFAULT_SENTRY_RATE_LIMIT_MS);
        const names = categories === undefined || categories === '' ? ['all'] : categories.split(';');
        for (const name of names) if (name !== '') this._set(name, until);
      }
      return;
    }
    if (status === 429) {
      this._set('all', now + (parseRetryAfter(retryAfterHeader, now) ?? DEFAULT_SENTRY_RATE_LIMIT_MS));
    }
  }

  /** How long an envelope of these categories must still wait, in ms (0 when it may go now). */
  waitMs(categories: readonly string[], now: number): number {
    let until = this._until.get('all') ?? 0;
    for (const c of categories) until = Math.max(until, this._until.get(c) ?? 0);
    return Math.max(0, until - now);
  }

  private _set(category: string, until: number): void {
    this._until.set(category, Math.max(this._until.get(category) ?? 0, until));
  }
}
