import type { SentrySpool, SpooledEnvelope } from '@lookout/errors/sentry-node';
import type { PayloadSpool } from './createPayloadSpool.js';

/**
 * A `SentrySpool` on disk for `@lookout/errors`' Sentry transport: envelopes that could not be
 * sent before exit are written (synchronously) and sent first by the next run's transport.
 */
export function createSentryFileSpool(spool: PayloadSpool): SentrySpool {
  return {
    save(envelopes) {
      for (const e of envelopes) {
        const body = typeof e.body === 'string' ? { text: e.body } : { base64: Buffer.from(e.body).toString('base64') };
        spool.save(JSON.stringify({ ...body, categories: e.categories }));
      }
    },
    load() {
      const out: SpooledEnvelope[] = [];
      for (const payload of spool.list()) {
        // Claimed once read: the transport now holds it (and spools it again if it cannot send).
        spool.remove(payload.id);
        try {
          const parsed = JSON.parse(Buffer.from(payload.body).toString('utf8')) as { text?: string; base64?: string; categories?: string[] };
          const body = typeof parsed.text === 'string' ? parsed.text : typeof parsed.base64 === 'string' ? new Uint8Array(Buffer.from(parsed.base64, 'base64')) : undefined;
          if (body !== undefined) out.push({ body, categories: Array.isArray(parsed.categories) ? parsed.categories.map(String) : [] });
        } catch {
          // A torn or foreign file: skip it.
        }
      }
      return out;
    },
  };
}
