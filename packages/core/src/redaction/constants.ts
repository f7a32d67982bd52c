/** Default nesting limit of {@link Redactor.redact}. */
export const DEFAULT_REDACT_MAX_DEPTH = 12;
/** Default string length limit of a {@link Redactor}, in UTF-16 code units. */
export const DEFAULT_REDACT_MAX_STRING_LENGTH = 16_384;
/** Default number of values one {@link Redactor.redact} call visits. */
export const DEFAULT_REDACT_MAX_NODES = 20_000;

/**
 * Keys whose value is masked whole by default. Strings match by containment after
 * normalisation (see `RedactorOptions.sensitiveKeys`); the RegExps catch short or ambiguous
 * names only in the positions where they mean a secret (`*token` but not `tokenCount`).
 */
export const DEFAULT_SENSITIVE_KEYS: ReadonlyArray<string | RegExp> = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'authorization',
  'cookie',
  'credential',
  'privatekey',
  'apikey',
  'accesskey',
  'connectionstring',
  'cardnumber',
  /token$/i,
  /dsn$/i,
  /^(?:pwd|pass|pin|cvv|cvc|ssn|jwt|auth|x-auth)$/i,
];

/** Keys that mark a secret only in `key=value` text (query strings, logs), not as object keys. */
export const TEXT_ONLY_SENSITIVE_KEYS: ReadonlyArray<string | RegExp> = ['signature', /^(?:key|sig)$/i];

/** Start of every mask: `[REDACTED:<kind>]`. */
export const MASK_PREFIX = '[REDACTED:';
/** Stands in for a reference back to an object that is being copied. */
export const CIRCULAR_MARK = '[Circular]';
/** Stands in for what lies past `maxDepth` or `maxNodes`. */
export const TRUNCATED_MARK = '[Truncated]';
/** Stands in for a value that threw when read (getter, revoked proxy). */
export const UNREADABLE_MARK = '[Unreadable]';
/** Appended to a string cut at `maxStringLength`. */
export const STRING_TRUNCATED_SUFFIX = '…[truncated]';
