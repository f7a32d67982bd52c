interface CryptoLike {
  getRandomValues?(array: Uint8Array): Uint8Array;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A random 128-bit id as 32 lowercase hex characters (a UUID v4 without dashes: Sentry's
 * `event_id` format). Uses `crypto.getRandomValues` when present, else `random`.
 */
export function createEventId(random: () => number): string {
  const bytes = new Uint8Array(16);
  const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random() * 256) & 0xff;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  let out = '';
  for (let i = 0; i < 16; i++) out += HEX[bytes[i] ?? 0];
  return out;
}
