import { MASK_PREFIX } from './constants.js';
import { isLikelyCardNumber } from './luhn.js';

// Every pattern here runs in time linear in the input: quantifiers are bounded, no quantified
// group can match the same text two ways, and token rules start with a negative lookbehind of
// their own character class, so a long run is tried from its first character only instead of
// from each of its characters. Rules are plain functions without pre-checks: a global regex
// that finds nothing costs about what a pre-check costs, and the page path pays for every byte.

/** `[REDACTED:<kind>]`. */
export function mask(kind: string): string {
  return `${MASK_PREFIX}${kind}]`;
}

/**
 * Whether no built-in rule can match `s`: every match is 13 characters or longer (a card, a JWT,
 * an API key, `Basic` + credentials) or needs one of `@ % : = .` (an address, URL credentials, a
 * `key=value` pair, an IP address). Most property values (`'build'`, `'prod'`, ids of a few
 * characters) skip all the rules this way.
 */
export const beyondRules = (s: string): boolean => s.length < 13 && !/[@%:=.]/.test(s);

/** One built-in string rule: the string with what it recognises masked. */
export type StringRule = (value: string) => string;

/** `scheme://user:password@host` (the user may be empty: `redis://:pw@host`) → `scheme://[REDACTED:credentials]@host`. */
const URL_CREDENTIALS_PATTERN = /\/\/[^\s/?#@:]{0,256}:[^\s/?#@]{1,256}@/g;

/** `Bearer <token>` and `Basic <base64>` (RFC 6750, RFC 7617), tokens up to 64 KiB. */
const AUTH_SCHEME_PATTERN = /(?<![\w-])(Bearer|Basic)(\s{1,10})([\w\-.~+/]{8,65536}={0,2})(?![\w\-.~+/=])/gi;

/** Three base64url segments, the first a JSON object (`eyJ` = `{"`), up to 64 KiB each. */
const JWT_PATTERN = /(?<![\w-])eyJ[\w-]{4,65536}\.[\w-]{4,65536}\.[\w-]{0,65536}(?![\w-])/g;

/**
 * API keys whose vendor prefix makes them recognisable without context: Stripe, GitHub tokens and
 * fine-grained tokens, Slack, AWS access key ids, Google, GitLab, npm, OpenAI/Anthropic, SendGrid.
 */
const API_KEY_PATTERN =
  /(?<![\w-])(?:[spr]k_(?:live|test)_[A-Za-z0-9]{8,256}|gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_\w{20,255}|xox[abposer]-[A-Za-z0-9-]{8,255}|A[KS]IA[A-Z0-9]{16}|AIza[\w-]{35}|glpat-[\w-]{20,64}|npm_[A-Za-z0-9]{36}|sk-(?:proj-|ant-)?[\w-]{20,256}|SG\.[\w-]{16,64}\.[\w-]{16,64})(?![\w-])/g;

/** A key, then `=` or `:` (optionally quoted, as in JSON), before a value (its opening quote, if any, is group 2). */
const KEY_VALUE_PATTERN = /(?<![\w.-])([A-Za-z][\w.-]{0,63})["']?\s{0,3}[=:]\s{0,3}(["']?)/g;

/** Cookie headers: every `name=value` in them is a secret, not only the first. */
const COOKIE_KEY_PATTERN = /^(?:set-?)?cookies?$/i;

/** An address, its `@` also percent-encoded (`alice%40example.com` in a query string). */
const EMAIL_PATTERN = /(?<![\w.%+-])[\w.%+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/**
 * A run of 13–19 digits (spaces or dashes between them). Not part of a word or of an id joined by
 * a dash (`v6-1796583524550-4539…`, a hex id with a digit run inside): there, a digit run is a
 * piece of the id, and masking it would corrupt ids receivers group by.
 */
const CARD_PATTERN = /(?<!\w-?)\d(?:[ -]?\d){12,18}(?!-?\w)/g;
const DIGIT_GROUP_PATTERN = /\d+/g;

const IPV4_PATTERN = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/g;
const IPV6_PATTERN = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])/g;

const AUTH_SCHEME_WORD_PATTERN = /^(?:bearer|basic|digest|token)$/i;

/** Whether a match of {@link IPV6_PATTERN} is a real address: 8 groups, or fewer with one `::`. */
function isIpv6(candidate: string): boolean {
  const compressed = candidate.indexOf('::');
  if (compressed !== candidate.lastIndexOf('::')) return false;
  const groups = candidate.split(':').length;
  return compressed === -1 ? groups === 8 : groups <= 9;
}

/** Whether the digits of `run[from, to)` (separators dropped) are a card number. */
const isCardAt = (run: string, from: number, to: number): boolean => isLikelyCardNumber(run.slice(from, to).replace(/[ -]/g, ''));

/**
 * Masks a card number in a run of digits and separators. The run may carry a neighbouring
 * number too (`card2 4111 1111 1111 1111`), so when the whole run is not a card, every window
 * of whole digit groups is tried, longest first; a run has at most 19 groups, so this stays bounded.
 */
function maskCardInRun(run: string): string {
  const groups = [...run.matchAll(DIGIT_GROUP_PATTERN)].map((m) => [m.index as number, (m.index as number) + m[0].length] as const);
  for (const [start] of groups) {
    for (let j = groups.length; j-- > 0; ) {
      const end = (groups[j] as readonly [number, number])[1];
      if (end > start && isCardAt(run, start, end)) return run.slice(0, start) + mask('credit_card') + run.slice(end);
    }
  }
  return run;
}

/**
 * Masks the values of `key=value` / `key: value` / `"key":"value"` pairs whose key is
 * sensitive. A hand-written loop rather than `replace`: a pair with an ordinary key must not
 * swallow the text after it, where a sensitive pair may sit. A quoted value is masked up to its
 * closing quote (`"password": "correct horse battery staple"`), a cookie header up to the end of
 * its line (every cookie in it), any other value up to the end of its run; whatever their length.
 */
function maskSensitivePairs(value: string, isSensitive: (key: string) => boolean): string {
  /** End of the run from `from`: whitespace or one of & " ' , ; < > ) ] } ` ends it. */
  const runEnd = (from: number): number => {
    let end = from;
    while (end < value.length && value.charCodeAt(end) > 32 && !'&"\',;<>)]}`'.includes(value[end] as string)) end++;
    return end;
  };
  /** End of a value quoted by `quote`: its closing quote (escaped ones skipped), a line end or the end. */
  const quotedEnd = (from: number, quote: string): number => {
    let end = from;
    while (end < value.length && value[end] !== quote && value[end] !== '\n' && value[end] !== '\r') end += value[end] === '\\' ? 2 : 1;
    return Math.min(end, value.length);
  };
  /** End of a header value: a line end, or a quote or markup that closes the text around it. */
  const lineEnd = (from: number): number => {
    let end = from;
    while (end < value.length && !'\r\n"\'<>`'.includes(value[end] as string)) end++;
    return end;
  };
  let out = '';
  let copiedTo = 0;
  for (const m of value.matchAll(KEY_VALUE_PATTERN)) {
    const start = (m.index as number) + m[0].length;
    const key = m[1] as string;
    // A match inside a value just masked is skipped, as a scan resuming after that value would never see it.
    if ((m.index as number) < copiedTo || !isSensitive(key) || value.startsWith(MASK_PREFIX, start)) continue;
    const quote = m[2];
    const valueEnd = quote ? quotedEnd(start, quote) : COOKIE_KEY_PATTERN.test(key) ? lineEnd(start) : runEnd(start);
    if (valueEnd === start) continue;
    let end = valueEnd;
    let keep = '';
    // `Authorization: Bearer <token>`: keep the scheme, mask the credentials after it.
    const word = runEnd(start);
    if (AUTH_SCHEME_WORD_PATTERN.test(value.slice(start, word))) {
      let next = word;
      while (next - word < 10 && (value[next] === ' ' || value[next] === '\t')) next++;
      const tokenEnd = quote ? valueEnd : runEnd(next);
      if (next === word || tokenEnd <= next || value.startsWith(MASK_PREFIX, next)) continue;
      keep = value.slice(start, next);
      end = tokenEnd;
    }
    out += value.slice(copiedTo, start) + keep + mask('secret');
    copiedTo = end;
  }
  return out + value.slice(copiedTo);
}

/** `user:password@` in URLs → `[REDACTED:credentials]@`. */
export const URL_CREDENTIALS_RULE: StringRule = (s) => s.replace(URL_CREDENTIALS_PATTERN, `//${mask('credentials')}@`);

/** `Bearer <token>` / `Basic <base64>` → the scheme, then `[REDACTED:token]`. */
export const AUTH_SCHEME_RULE: StringRule = (s) =>
  // "Basic authentication failed" is prose; Basic credentials are padded base64.
  s.replace(AUTH_SCHEME_PATTERN, (match, scheme: string, space: string, token: string) =>
    /^basic$/i.test(scheme) && token.length % 4 ? match : scheme + space + mask('token'),
  );

/** JSON Web Tokens → `[REDACTED:jwt]`. */
export const JWT_RULE: StringRule = (s) => s.replace(JWT_PATTERN, mask('jwt'));

/** API keys with a vendor prefix → `[REDACTED:api_key]`. */
export const API_KEY_RULE: StringRule = (s) => s.replace(API_KEY_PATTERN, mask('api_key'));

/** Values of `key=value` pairs whose key `isSensitive` says is one → `[REDACTED:secret]`. */
export const sensitivePairsRule =
  (isSensitive: (key: string) => boolean): StringRule =>
  (s) =>
    maskSensitivePairs(s, isSensitive);

/** Email addresses → `[REDACTED:email]`. */
export const EMAIL_RULE: StringRule = (s) => s.replace(EMAIL_PATTERN, mask('email'));

/** Card numbers (brand prefix, Luhn) → `[REDACTED:credit_card]`. */
export const CARD_RULE: StringRule = (s) => s.replace(CARD_PATTERN, maskCardInRun);

const IPV4_RULE: StringRule = (s) => s.replace(IPV4_PATTERN, mask('ip'));
const IPV6_RULE: StringRule = (s) => s.replace(IPV6_PATTERN, (match) => (isIpv6(match) ? mask('ip') : match));

/** What the built-in rules need from the redactor's configuration. */
export interface RuleSettings {
  emails: boolean;
  secrets: boolean;
  creditCards: boolean;
  ips: boolean;
  isTextKeySensitive(key: string): boolean;
}

/** The built-in rules enabled by `settings`, in the order they must run. */
export function buildRules(settings: RuleSettings): StringRule[] {
  const rules: StringRule[] = [];
  if (settings.secrets) rules.push(URL_CREDENTIALS_RULE, AUTH_SCHEME_RULE, JWT_RULE, API_KEY_RULE, sensitivePairsRule(settings.isTextKeySensitive));
  if (settings.emails) rules.push(EMAIL_RULE);
  if (settings.creditCards) rules.push(CARD_RULE);
  if (settings.ips) rules.push(IPV4_RULE, IPV6_RULE);
  return rules;
}
