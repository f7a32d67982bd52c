/**
 * Sentry envelopes (https://develop.sentry.dev/sdk/data-model/envelopes/): a JSON header line,
 * then for each item a JSON item-header line and a payload. Written against the shape both
 * `@sentry/node` and `@sentry/browser` hand a transport; no Sentry import is needed.
 */

/** `[headers, [[itemHeaders, payload], …]]`, as a Sentry client passes it to `transport.send`. */
export type EnvelopeLike = readonly [Record<string, unknown>, readonly (readonly [Record<string, unknown>, unknown])[]];

interface TextEncoderLike {
  encode(input: string): Uint8Array;
}

/** Sentry's rate-limit category of each envelope item type (https://develop.sentry.dev/sdk/expected-features/rate-limiting/). */
const ITEM_CATEGORY: Readonly<Record<string, string>> = {
  event: 'error',
  transaction: 'transaction',
  session: 'session',
  sessions: 'session',
  attachment: 'attachment',
  client_report: 'internal',
  user_report: 'default',
  feedback: 'feedback',
  profile: 'profile',
  profile_chunk: 'profile',
  replay_event: 'replay',
  replay_recording: 'replay',
  check_in: 'monitor',
  span: 'span',
  log: 'log_item',
  metric: 'trace_metric',
  trace_metric: 'trace_metric',
  raw_security: 'security',
};

/** The rate-limit category of one envelope item, by its header's `type`. */
export function itemCategory(headers: Record<string, unknown> | undefined): string {
  const type = typeof headers?.['type'] === 'string' ? headers['type'] : '';
  return ITEM_CATEGORY[type] ?? 'default';
}

/** The rate-limit categories of an envelope's items, without repeats. */
export function envelopeCategories(envelope: EnvelopeLike): string[] {
  const out = new Set<string>();
  for (const [headers] of envelope[1]) out.add(itemCategory(headers));
  return [...out];
}

/**
 * Serialises an envelope to its wire form: a string, or bytes when a payload is binary (then
 * every part is UTF-8 encoded and concatenated). Payloads that are neither strings nor bytes are
 * JSON; a payload JSON cannot encode (cycles, BigInt) is replaced by a note saying so.
 */
export function serializeEnvelope(envelope: EnvelopeLike): string | Uint8Array {
  const [headers, items] = envelope;
  const parts: (string | Uint8Array)[] = [JSON.stringify(headers)];
  let binary = false;
  for (const [itemHeaders, payload] of items) {
    if (payload instanceof Uint8Array) {
      binary = true;
      parts.push(`\n${JSON.stringify({ ...itemHeaders, length: payload.length })}\n`, payload);
    } else {
      const text = typeof payload === 'string' ? payload : safeJson(payload);
      parts.push(`\n${JSON.stringify(itemHeaders)}\n`, text);
    }
  }
  if (!binary) return parts.join('');
  const encoder = new (globalThis as unknown as { TextEncoder: new () => TextEncoderLike }).TextEncoder();
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function safeJson(payload: unknown): string {
  try {
    return JSON.stringify(payload) ?? 'null';
  } catch (error) {
    return JSON.stringify({ message: `[lookout: payload could not be serialised: ${String((error as Error)?.message ?? error)}]` });
  }
}
