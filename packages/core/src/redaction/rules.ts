import { MASK_PREFIX } from './constants.js';
import { isLikelyCardNumber } from './luhn.js';

// Every pattern here runs in time linear in the input: quantifiers are bounded, no quantified
// group can match the same text two ways, and token rules start with a negative lookbehind of
// their own character class, so a long run is tried from its first character only instead of
// from each of its characters.

/** `[REDACTED:<kind>]`. */
export function mask(kind: string): string {
  return `${MASK_PREFIX}${kind}]`;
}

/** One built-in string rule. */
export interface StringRule {
  /** Cheap test that the rule could match at all, to skip the regex on ordinary strings. */
  mayMatch(value: string): boolean;
  apply(value: string): string;
}

/** `scheme://user:password@host` → `scheme://[REDACTED:credentials]@host`. */
const URL_CREDENTIALS_PATTERN = /(\/\/)[^\s/?#@:]{1,256}:[^\s/?#@]{1,256}@/g;

/** `Bearer <token>` and `Basic <base64>` (RFC 6750, RFC 7617). */
const AUTH_SCHEME_PATTERN = /(?<![A-Za-z0-9_-])(Bearer|Basic)(\s{1,10})([A-Za-z0-9\-._~+/]{8,4096}={0,2})(?![A-Za-z0-9\-._~+/=])/gi;

/** Three base64url segments, the first a JSON object (`eyJ` = `{"`). */
const JWT_PATTERN = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,4096}\.[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,4096}(?![A-Za-z0-9_-])/g;

/** API keys whose vendor prefix makes them recognisable without context. */
const API_KEY_PATTERN = /* @__PURE__ */ new RegExp(
  '(?<![A-Za-z0-9_-])(?:' +
    [
      '(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,256}', // Stripe
      'gh[pousr]_[A-Za-z0-9]{30,255}', // GitHub tokens
      'github_pat_[A-Za-z0-9_]{20,255}', // GitHub fine-grained tokens
      'xox[abposer]-[A-Za-z0-9-]{8,255}', // Slack
      '(?:AKIA|ASIA)[A-Z0-9]{16}', // AWS access key ids
      'AIza[A-Za-z0-9_-]{35}', // Google API keys
      'glpat-[A-Za-z0-9_-]{20,64}', // GitLab
      'npm_[A-Za-z0-9]{36}', // npm
      'sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,256}', // OpenAI, Anthropic
      'SG\\.[A-Za-z0-9_-]{16,64}\\.[A-Za-z0-9_-]{16,64}', // SendGrid
    ].join('|') +
    ')(?![A-Za-z0-9_-])',
  'g',
);

/** A key, then `=` or `:` (optionally quoted, as in JSON), before a value. */
const KEY_VALUE_PATTERN = /(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]{0,63})(["']?\s{0,3}[=:]\s{0,3}["']?)/g;
/** Longest value of a `key=value` pair that is masked; the rest of a longer run is masked too, it just ends the scan. */
const MAX_PAIR_VALUE_LENGTH = 2048;

const EMAIL_PATTERN =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

const CARD_PATTERN = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;
const CARD_SEPARATORS_PATTERN = /[ -]/g;

const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_PATTERN = /* @__PURE__ */ new RegExp(`(?<![0-9.])(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}(?![0-9]|\\.[0-9])`, 'g');
const IPV6_PATTERN = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])/g;

const BEARER_HINT_PATTERN = /bearer|basic/i;
const DIGIT_PATTERN = /[0-9]/;
const AUTH_SCHEME_WORD_PATTERN = /^(?:bearer|basic|digest|token)$/i;

/** Whether a match of {@link IPV6_PATTERN} is a real address: 8 groups, or fewer with one `::`. */
function isIpv6(candidate: string): boolean {
  const compressed = candidate.indexOf('::');
  if (compressed !== candidate.lastIndexOf('::')) return false;
  const groups = candidate.split(':').length;
  return compressed === -1 ? groups === 8 : groups <= 9;
}

const DIGIT_GROUP_PATTERN = /[0-9]+/g;

/**
 * Masks a card number in a run of digits and separators. The run may carry a neighbouring
 * number too (`card2 4111 1111 1111 1111`), so when the whole run is not a card, every window
 * of whole digit groups is tried; a run has at most 19 groups, so this stays bounded.
 */
function maskCardInRun(run: string): string {
  if (isLikelyCardNumber(run.replace(CARD_SEPARATORS_PATTERN, ''))) return mask('credit_card');
  const groups: Array<{ start: number; end: number }> = [];
  DIGIT_GROUP_PATTERN.lastIndex = 0;
  for (let m = DIGIT_GROUP_PATTERN.exec(run); m !== null; m = DIGIT_GROUP_PATTERN.exec(run)) {
    groups.push({ start: m.index, end: m.index + m[0].length });
  }
  for (let i = 0; i < groups.length; i++) {
    for (let j = groups.length - 1; j >= i; j--) {
      const first = groups[i] as { start: number };
      const last = groups[j] as { end: number };
      const digits = run.slice(first.start, last.end).replace(CARD_SEPARATORS_PATTERN, '');
      if (isLikelyCardNumber(digits)) return run.slice(0, first.start) + mask('credit_card') + run.slice(last.end);
    }
  }
  return run;
}

/** Characters that end the value of a `key=value` pair in text. */
function endsPairValue(code: number): boolean {
  // whitespace & " ' , ; < > ) ] } `
  return (
    code <= 32 ||
    code === 38 ||
    code === 34 ||
    code === 39 ||
    code === 44 ||
    code === 59 ||
    code === 60 ||
    code === 62 ||
    code === 41 ||
    code === 93 ||
    code === 125 ||
    code === 96
  );
}

/**
 * Masks the values of `key=value` / `key: value` / `"key":"value"` pairs whose key is
 * sensitive. A hand-written loop rather than `replace`: a pair with an ordinary key must not
 * swallow the text after it, where a sensitive pair may sit.
 */
function maskSensitivePairs(value: string, isSensitive: (key: string) => boolean): string {
  KEY_VALUE_PATTERN.lastIndex = 0;
  let out = '';
  let copiedTo = 0;
  for (let m = KEY_VALUE_PATTERN.exec(value); m !== null; m = KEY_VALUE_PATTERN.exec(value)) {
    const key = m[1] as string;
    const start = KEY_VALUE_PATTERN.lastIndex;
    if (!isSensitive(key)) continue;
    let end = start;
    const limit = Math.min(value.length, start + MAX_PAIR_VALUE_LENGTH);
    while (end < limit && !endsPairValue(value.charCodeAt(end))) end++;
    if (end === start || value.startsWith(MASK_PREFIX, start)) continue;
    // A pair value longer than the limit is masked up to the end of its run all the same.
    while (end < value.length && !endsPairValue(value.charCodeAt(end))) end++;
    let keep = '';
    // `Authorization: Bearer <token>`: keep the scheme, mask the credentials after it.
    if (AUTH_SCHEME_WORD_PATTERN.test(value.slice(start, end))) {
      let next = end;
      while (next < value.length && next - end < 10 && (value.charCodeAt(next) === 32 || value.charCodeAt(next) === 9)) next++;
      if (next === end || next >= value.length || value.startsWith(MASK_PREFIX, next)) continue;
      keep = value.slice(start, next);
      end = next;
      while (end < value.length && end - next < MAX_PAIR_VALUE_LENGTH && !endsPairValue(value.charCodeAt(end))) end++;
      if (end === next) continue;
    }
    out += value.slice(copiedTo, start) + keep + mask('secret');
    copiedTo = end;
    KEY_VALUE_PATTERN.lastIndex = end;
  }
  return copiedTo === 0 ? value : out + value.slice(copiedTo);
}

/** `user:password@` in URLs → `[REDACTED:credentials]@`. */
export const URL_CREDENTIALS_RULE: StringRule = {
  mayMatch: (s) => s.includes('//') && s.includes('@'),
  apply: (s) => s.replace(URL_CREDENTIALS_PATTERN, (_m, slashes: string) => `${slashes}${mask('credentials')}@`),
};

/** `Bearer <token>` / `Basic <base64>` → the scheme, then `[REDACTED:token]`. */
export const AUTH_SCHEME_RULE: StringRule = {
  mayMatch: (s) => BEARER_HINT_PATTERN.test(s),
  apply: (s) =>
    s.replace(AUTH_SCHEME_PATTERN, (match, scheme: string, space: string, token: string) => {
      // "Basic authentication failed" is prose; Basic credentials are padded base64.
      if (scheme.toLowerCase() === 'basic' && token.length % 4 !== 0) return match;
      return `${scheme}${space}${mask('token')}`;
    }),
};

/** JSON Web Tokens → `[REDACTED:jwt]`. */
export const JWT_RULE: StringRule = { mayMatch: (s) => s.includes('eyJ'), apply: (s) => s.replace(JWT_PATTERN, mask('jwt')) };

/** API keys with a vendor prefix → `[REDACTED:api_key]`. */
export const API_KEY_RULE: StringRule = { mayMatch: (s) => s.length >= 20, apply: (s) => s.replace(API_KEY_PATTERN, mask('api_key')) };

/** Values of `key=value` pairs whose key `isSensitive` says is one → `[REDACTED:secret]`. */
export function sensitivePairsRule(isSensitive: (key: string) => boolean): StringRule {
  return { mayMatch: (s) => s.includes('=') || s.includes(':'), apply: (s) => maskSensitivePairs(s, isSensitive) };
}

/** Email addresses → `[REDACTED:email]`. */
export const EMAIL_RULE: StringRule = { mayMatch: (s) => s.includes('@'), apply: (s) => s.replace(EMAIL_PATTERN, mask('email')) };

/** Card numbers (brand prefix, Luhn) → `[REDACTED:credit_card]`. */
export const CARD_RULE: StringRule = { mayMatch: (s) => DIGIT_PATTERN.test(s), apply: (s) => s.replace(CARD_PATTERN, maskCardInRun) };

const IPV4_RULE: StringRule = { mayMatch: (s) => s.includes('.'), apply: (s) => s.replace(IPV4_PATTERN, mask('ip')) };
const IPV6_RULE: StringRule = {
  mayMatch: (s) => s.includes(':'),
  apply: (s) => s.replace(IPV6_PATTERN, (match) => (isIpv6(match) ? mask('ip') : match)),
};

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
