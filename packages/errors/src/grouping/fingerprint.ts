import type { StackFrame } from '../types.js';

/** Longest message looked at when normalising. */
const MAX_NORMALISED_LENGTH = 512;

const QUOTED = [/(^|[^\w])"[^"\n]{0,200}"/g, /(^|[^\w])'[^'\n]{0,200}'/g, /(^|[^\w])`[^`\n]{0,200}`/g];
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// A hex id has both a digit and a letter a-f (or a 0x prefix): a run of digits alone is a number,
// whatever its length, so `Order 99999` and `Order 100000` normalise alike.
const HEX_TOKEN = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{6,})\b/gi;
const NUMBER = /\d+(?:[.,]\d+)*/g;
const WHITESPACE = /\s+/g;
const BUNDLE_HASH = /[.-][0-9a-f]{8,}(?=\.[a-z]+$)/i;

/**
 * Strips what varies between occurrences of the same error: quoted values become `<str>`, UUIDs
 * `<uuid>`, hex ids (6+ hex digits with at least one digit and one letter, or `0x…`) `<hex>`,
 * numbers `<n>`. So
 * `User 42 not found ('a1b2c3d4')` and `User 7 not found ('ffe01234')` normalise alike.
 */
export function normaliseMessage(message: string): string {
  let s = message.length > MAX_NORMALISED_LENGTH ? message.slice(0, MAX_NORMALISED_LENGTH) : message;
  for (const quoted of QUOTED) s = s.replace(quoted, '$1<str>');
  s = s.replace(UUID, '<uuid>');
  s = s.replace(HEX_TOKEN, '<hex>');
  s = s.replace(NUMBER, '<n>');
  return s.replace(WHITESPACE, ' ').trim();
}

/** `function@file` of a frame, with the file cut to its last two segments and bundle hashes removed. */
export function frameKey(frame: StackFrame): string {
  const file = frame.filename ?? '?';
  const segments = file.split(/[\\/]/);
  const tail = segments.slice(-2).join('/').replace(BUNDLE_HASH, '');
  return `${frame.function ?? '?'}@${tail}`;
}

/**
 * Fingerprint parts: the error type, the normalised message, and the top `frames` in-app frames
 * (falling back to the top frames when none is in-app). Line numbers are left out, so a group
 * survives unrelated edits.
 */
export function fingerprintParts(type: string, message: string, stack: readonly StackFrame[], frames: number): string[] {
  const parts = [type, normaliseMessage(message)];
  if (frames <= 0) return parts;
  let picked = stack.filter((f) => f.inApp).slice(0, frames);
  if (picked.length === 0) picked = stack.slice(0, frames);
  for (const f of picked) parts.push(frameKey(f));
  return parts;
}

/** A 64-bit hash (two FNV-1a 32-bit lanes) of the parts, as 16 hex characters. */
export function hashParts(parts: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
