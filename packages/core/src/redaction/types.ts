import type { Diagnostics } from '../diagnostics/index.js';

/** A host-supplied pattern: every match is replaced by `[REDACTED:<kind>]`. */
export interface RedactionPattern {
  /** Label in the mask, e.g. `'order_id'` gives `[REDACTED:order_id]`. Default `'custom'`. */
  kind?: string;
  /**
   * What to mask. The `g` flag is added when missing. Lookout cannot check a host pattern for
   * catastrophic backtracking: keep quantifiers bounded.
   */
  pattern: RegExp;
}

/** Input of {@link createRedactor}. Every field is optional. */
export interface RedactorOptions {
  /** Mask email addresses as `[REDACTED:email]`. Default `true`. */
  emails?: boolean;
  /**
   * Mask credentials in text: bearer/basic tokens, JWTs, API keys with well-known prefixes
   * (`sk_live_`, `ghp_`, `xoxb-`, `AKIA…`, …), `user:pass@` in URLs and `password=…`-style pairs
   * whose key is sensitive. Default `true`.
   */
  secrets?: boolean;
  /** Mask card numbers (13–19 digits, known brand prefix, valid Luhn checksum). Default `true`. */
  creditCards?: boolean;
  /** Mask IPv4 and IPv6 addresses as `[REDACTED:ip]`. Default `false`: IPs are often wanted. */
  ips?: boolean;
  /**
   * Object keys whose whole value is masked (`[REDACTED:key]`); also the keys of `key=value`
   * pairs in text. A string matches a key that contains it once both are lower-cased and
   * stripped of everything but letters and digits (`'apikey'` matches `X-Api-Key`); a RegExp
   * is tested against the raw key. Replaces {@link DEFAULT_SENSITIVE_KEYS}.
   */
  sensitiveKeys?: ReadonlyArray<string | RegExp>;
  /** Keys added to `sensitiveKeys` (or to the defaults). */
  additionalSensitiveKeys?: ReadonlyArray<string | RegExp>;
  /** Extra patterns, applied after the built-in rules. */
  patterns?: readonly RedactionPattern[];
  /**
   * Last word on every string value (after the built-in rules and `patterns`): returns the string
   * to keep. `key` is the object key the string sits under, if any. Object keys and values under
   * a sensitive key (masked whole) do not pass through it. Called inside try/catch; a
   * throw or a non-string result keeps the string as the built-in rules left it.
   */
  redact?: (value: string, key: string | undefined) => string;
  /** Objects nested deeper than this become `'[Truncated]'`. Default {@link DEFAULT_REDACT_MAX_DEPTH}. */
  maxDepth?: number;
  /** Longer strings are cut to this many characters (plus `…[truncated]`) before redaction. Default {@link DEFAULT_REDACT_MAX_STRING_LENGTH}. */
  maxStringLength?: number;
  /** Values visited per call; past it, the rest becomes `'[Truncated]'`. Default {@link DEFAULT_REDACT_MAX_NODES}. */
  maxNodes?: number;
  /** Where invalid options and failing hooks are reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
}

/** Masks personal data and secrets. Its methods never throw and never mutate their input. */
export interface Redactor {
  /**
   * Returns a redacted copy of `value`: strings are run through every rule; plain objects,
   * arrays, Maps, Sets and Errors are copied deeply (Errors keep their prototype, other class
   * instances become plain objects of their own enumerable properties); sensitive keys have
   * their whole value masked, as has an array item after a string that is a sensitive key
   * (`['password', 'hunter2']`, a flat header list). Object and Map keys go through the string
   * rules too; two keys masked alike stay apart (`[REDACTED:email]`, `[REDACTED:email]#2`).
   * Cycles become `'[Circular]'`, values that cannot be read
   * (throwing getters, revoked proxies) `'[Unreadable]'`. Functions, symbols, dates (copied),
   * typed arrays and other primitives pass through.
   */
  redact<T>(value: T): T;
  /** Redacts one string, as found under `key` (if given). */
  redactString(value: string, key?: string): string;
  /** Whether `key` is one whose value is masked whole. */
  isSensitiveKey(key: string): boolean;
}
