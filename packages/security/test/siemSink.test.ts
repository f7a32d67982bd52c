import { afterEach, describe, expect, it } from 'vitest';
import { createDiagnostics, createMetricsRegistry, renderPrometheus } from '@lookout/core';
import { createSecurityLogger, createSiemSink } from '@lookout/security';
import { startHttpReceiver } from '../../../testing/backends.js';
import type { HttpReceiverHandle } from '../../../testing/backends.js';

const quiet = createDiagnostics({ level: 'none' });
let receiver: HttpReceiverHandle | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

describe('createSiemSink', () => {
  it('should POST OCSF events in batches to a real HTTP receiver, with the host\'s headers', async () => {
    receiver = await startHttpReceiver();
    const registry = createMetricsRegistry();
    const sink = createSiemSink({ url: `${receiver.url}/ingest`, headers: { authorization: 'Splunk token' }, maxBatchItems: 2, registry, diagnostics: quiet });
    const logger = createSecurityLogger({ sinks: [sink], registry, diagnostics: quiet });
    for (let i = 0; i < 3; i++) logger.logSecurityEvent({ type: 'authorization', outcome: 'denied', actor: `u${i}` });
    await logger.flush(3000);
    expect(receiver.requests).toHaveLength(2);
    const [first] = receiver.requests;
    expect(first?.headers.authorization).toBe('Splunk token');
    expect(first?.headers['content-type']).toBe('application/json');
    const events = receiver.requests.flatMap((r) => r.json<Array<Record<string, unknown>>>());
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ class_uid: 3003, status_id: 2, actor: { user: { uid: 'u0' } }, metadata: { event_code: 'authz_fail' } });
    expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_sent_total{signal="security"} 3');
    await logger.shutdown(1000);
  });

  it('should retry a 503 through core\'s queue and count it', async () => {
    receiver = await startHttpReceiver({ status: 503 });
    const registry = createMetricsRegistry();
    const sink = createSiemSink({ url: receiver.url, encoding: 'ndjson', retry: { initialBackoffMs: 20, maxBackoffMs: 40, maxAttempts: 3, jitter: false }, registry, diagnostics: quiet });
    sink.write({ id: 'a', time: 0, type: 'api_access', action: 'api_access', outcome: 'success', risk: 'low' });
    await sink.flush(2000);
    expect(receiver.requests.length).toBe(3);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/x-ndjson');
    expect(sink.queue.stats.dropped.retries_exhausted).toBe(1);
    expect(await renderPrometheus(registry)).toContain('lookout_delivery_items_dropped_total{signal="security",reason="retries_exhausted"} 1');
  });

  it('should warn once and drop without a url', async () => {
    const messages: string[] = [];
    const diagnostics = createDiagnostics({ logger: { warn: (m) => messages.push(m), error: () => {}, info: () => {}, debug: () => {} } });
    const sink = createSiemSink({ diagnostics, registry: createMetricsRegistry() } as never);
    sink.write({ id: 'a', time: 0, type: 'api_access', action: 'api_access', outcome: 'success', risk: 'low' });
    await sink.flush(500);
    expect(messages.some((m) => m.includes('needs a url'))).toBe(true);
    expect(sink.queue.stats.dropped.rejected).toBe(1);
  });
});
