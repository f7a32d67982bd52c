import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createDiagnostics, createMetricsRegistry, LookoutConfigError, renderPrometheus, resetDefaultRegistryForTests } from '@lookout/core';
import { createTelemetryClient, TELEMETRY_DROP_REASONS } from '@lookout/telemetry';
import type { EventStore, TelemetryClientOptions, TelemetryEvent } from '@lookout/telemetry';
import { memoryTransport } from '../helpers/memoryTransport.js';
import { recordingDiagnostics } from '../helpers/diagnostics.js';

function makeClient(extra: TelemetryClientOptions = {}) {
  const transport = memoryTransport();
  const { diagnostics, warnings } = recordingDiagnostics();
  const registry = createMetricsRegistry();
  const client = createTelemetryClient({ transport, diagnostics, registry, flushIntervalMs: 10, format: 'json', ...extra });
  return { client, transport, warnings, registry };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('createTelemetryClient', () => {
  describe('track', () => {
    it('should give every event an id, timestamp, session, user, app version, platform and its properties', async () => {
      const { client, transport } = makeClient({ app: { version: '2.0.0' }, platform: 'test', userId: 'u1', anonymousId: 'a1' });
      const id = client.track('opened', { screen: 'home', n: 1, skip: undefined });
      await client.flush(1000);
      expect(transport.events).toEqual([
        { id, name: 'opened', timestamp: expect.any(Number), sessionId: client.sessionId, userId: 'u1', anonymousId: 'a1', appVersion: '2.0.0', platform: 'test', properties: { screen: 'home', n: 1 } },
      ]);
    });

    it('should send a __proto__ property (as JSON.parse makes it) as an own property, as the page and lite clients do', async () => {
      const { client, transport } = makeClient();
      client.track('parsed', JSON.parse('{"a":1,"__proto__":{"b":2},"c":3}') as Record<string, unknown>);
      await client.flush(1000);
      const properties = transport.events[0]?.properties as Record<string, unknown>;
      expect(Object.keys(properties)).toEqual(['a', '__proto__', 'c']);
      expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({ b: 2 });
      expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    });

    it('should drop an invalid event with one diagnostic naming the field, and count it', () => {
      const { client, warnings } = makeClient();
      expect(client.track('bad', { price: Number.NaN })).toBeUndefined();
      expect(client.track('bad', { price: Number.NaN })).toBeUndefined();
      expect(client.stats.dropped.invalid).toBe(2);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('properties.price');
    });

    it('should name the field of an invalid event name', () => {
      const { client, warnings } = makeClient();
      client.track('', {});
      expect(warnings[0]).toContain('name');
      expect(client.stats.dropped.invalid).toBe(1);
    });

    it('should never throw and report one diagnostic per distinct problem, whatever it is given', () => {
      fc.assert(
        fc.property(fc.anything(), fc.anything(), (name, properties) => {
          const { client, warnings } = makeClient();
          expect(() => client.track(name as string, properties as Record<string, unknown>)).not.toThrow();
          const accepted = client.stats.enqueued === 1;
          expect(warnings.length).toBe(accepted ? 0 : 1);
          expect(client.stats.enqueued + sum(client.stats.dropped)).toBe(1);
        }),
        { numRuns: 300 },
      );
    });

    it('should survive hostile properties (throwing getters, cycles, proxies)', () => {
      const { client } = makeClient();
      const hostile = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('boom'); } });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      for (const p of [hostile, cyclic, revoked.proxy]) expect(() => client.track('x', p as Record<string, unknown>)).not.toThrow();
      expect(client.stats.tracked).toBe(3);
      expect(client.stats.enqueued + sum(client.stats.dropped)).toBe(3);
    });
  });

  describe('sampling', () => {
    it('should keep about the configured share per event name and count the rest as sampled_out', () => {
      const { client } = makeClient({ sampling: { rates: { noisy: 0.25 } }, maxQueueEvents: 100_000 });
      vi.spyOn(Math, 'random').mockImplementation(((seq) => () => (seq = (seq * 16807) % 2147483647) / 2147483647)(7));
      for (let i = 0; i < 4000; i++) client.track('noisy');
      for (let i = 0; i < 100; i++) client.track('rare');
      const kept = client.stats.enqueued - 100;
      expect(kept).toBeGreaterThan(850);
      expect(kept).toBeLessThan(1150);
      expect(client.stats.dropped.sampled_out).toBe(4000 - kept);
    });

    it('should carry the sample rate on kept events', async () => {
      const { client, transport } = makeClient({ sampling: { defaultRate: 0.999999 } });
      vi.spyOn(Math, 'random').mockReturnValue(0);
      client.track('x');
      await client.flush(1000);
      expect(transport.events[0]).toMatchObject({ sampleRate: 0.999999 });
    });
  });

  describe('beforeSend', () => {
    it('should let the hook edit or drop, and re-validate what it returns', async () => {
      const { client, transport, warnings } = makeClient({
        beforeSend: (e) => (e.name === 'drop' ? null : e.name === 'break' ? ({ ...e, timestamp: -1 } as TelemetryEvent) : { ...e, properties: { ...e.properties, edited: true } }),
      });
      client.track('keep');
      client.track('drop');
      client.track('break');
      await client.flush(1000);
      expect(transport.events.map((e) => [e.name, e.properties])).toEqual([['keep', { edited: true }]]);
      expect(client.stats.dropped.before_send).toBe(1);
      expect(client.stats.dropped.invalid).toBe(1);
      expect(warnings.join('\n')).toContain('timestamp');
    });

    it('should keep the event when the hook throws', async () => {
      const { client, transport } = makeClient({ beforeSend: () => { throw new Error('hook'); } });
      client.track('x');
      await client.flush(1000);
      expect(transport.events).toHaveLength(1);
    });

    it('should scrub what the hook adds', async () => {
      const { client, transport } = makeClient({ beforeSend: (e) => ({ ...e, properties: { contact: 'ann@example.org' } }) });
      client.track('x');
      await client.flush(1000);
      expect(transport.events[0]?.properties.contact).toBe('[REDACTED:email]');
    });

    it('should scrub a copy, leaving the events the hook was given and returned as they were', async () => {
      const seen: TelemetryEvent[] = [];
      const returned: TelemetryEvent[] = [];
      const { client, transport } = makeClient({
        userId: 'bob@example.com',
        beforeSend: (e) => {
          seen.push(e);
          const out = e.name === 'same' ? e : { ...e, properties: { contact: 'ann@example.org' } };
          returned.push(out);
          return out;
        },
      });
      client.track('same', { contact: 'ann@example.org' });
      client.track('other');
      await client.flush(1000);
      expect(transport.events.map((e) => [e.userId, e.properties.contact])).toEqual([
        ['[REDACTED:email]', '[REDACTED:email]'],
        ['[REDACTED:email]', '[REDACTED:email]'],
      ]);
      expect([...seen, ...returned].map((e) => [e.userId, e.properties.contact])).toEqual([
        ['bob@example.com', 'ann@example.org'],
        ['bob@example.com', undefined],
        ['bob@example.com', 'ann@example.org'],
        ['bob@example.com', 'ann@example.org'],
      ]);
    });
  });

  describe('redaction', () => {
    it('should scrub emails, tokens, keys and card numbers by default and IPs only when configured', async () => {
      const { client, transport } = makeClient({ userId: 'bob@example.com' });
      client.track('x', { ip: '10.1.2.3', card: 4111111111111111, password: 'hunter2', text: 'key sk_live_abcdefghijklmnop1234' });
      const { client: withIps, transport: t2 } = makeClient({ redaction: { ips: true } });
      withIps.track('x', { ip: '10.1.2.3' });
      await Promise.all([client.flush(1000), withIps.flush(1000)]);
      const e = transport.events[0];
      expect(e?.userId).toBe('[REDACTED:email]');
      expect(e?.properties).toMatchObject({ ip: '10.1.2.3', card: '[REDACTED:credit_card]', password: '[REDACTED:key]' });
      expect(String(e?.properties.text)).not.toContain('sk_live_');
      expect(t2.events[0]?.properties.ip).toBe('[REDACTED:ip]');
    });

    it('should send properties unchanged with redaction: false', async () => {
      const { client, transport } = makeClient({ redaction: false });
      client.track('x', { email: 'a@b.co' });
      await client.flush(1000);
      expect(transport.events[0]?.properties.email).toBe('a@b.co');
    });
  });

  describe('consent', () => {
    it('should hold events while consent is pending, sending and storing none, and send them after optIn(), as the page and lite clients do', async () => {
      const save = vi.fn(() => true);
      const store: EventStore = { save, load: () => Promise.resolve([]), clear: () => Promise.resolve() };
      const { client, transport } = makeClient({ consent: 'pending', store, maxQueueEvents: 2 });
      const held = client.track('before', { email: 'ann@example.com' });
      expect(typeof held).toBe('string');
      client.track('before-2');
      // Past maxQueueEvents: dropped and counted.
      expect(client.track('before-3')).toBeUndefined();
      expect(client.stats.dropped.queue_full).toBe(1);
      const waiting = await client.flush(50);
      expect(waiting).toMatchObject({ complete: false, pendingItems: 2 });
      expect(transport.events).toEqual([]);
      expect(save).not.toHaveBeenCalled();
      client.optIn();
      await client.flush(1000);
      client.track('after');
      await client.flush(1000);
      expect(transport.events.map((e) => e.name)).toEqual(['before', 'before-2', 'after']);
      expect(transport.events[0]?.id).toBe(held);
      // Scrubbed as any event.
      expect(JSON.stringify(transport.events[0]?.properties)).not.toContain('ann@example.com');
      expect(client.stats.dropped.consent).toBe(0);
    });

    it('should drop what it held for consent at optOut() (consent) and at shutdown() while still pending (shutdown)', async () => {
      const a = makeClient({ consent: 'pending' });
      a.client.track('x');
      a.client.track('y');
      a.client.optOut();
      a.client.optIn();
      await a.client.flush(1000);
      expect(a.transport.events).toEqual([]);
      expect(a.client.stats.dropped.consent).toBe(2);
      const b = makeClient({ consent: 'pending' });
      b.client.track('x');
      await b.client.shutdown(1000);
      expect(b.transport.events).toEqual([]);
      expect(b.client.stats.dropped.shutdown).toBe(1);
    });

    it('should send nothing with consent denied, until optIn()', async () => {
      const { client, transport } = makeClient({ consent: 'denied' });
      expect(client.track('before')).toBeUndefined();
      client.optIn();
      client.track('after');
      await client.flush(1000);
      expect(transport.events.map((e) => e.name)).toEqual(['after']);
      expect(client.stats.dropped.consent).toBe(1);
    });

    it('should clear queued events and the store on optOut()', async () => {
      const clear = vi.fn(() => Promise.resolve());
      const store: EventStore = { save: () => true, load: () => Promise.resolve([]), clear };
      const { client, transport } = makeClient({ store, flushIntervalMs: 60_000 });
      client.track('a');
      client.track('b');
      client.optOut();
      client.track('c');
      await client.flush(1000);
      expect(transport.events).toEqual([]);
      expect(client.stats.dropped.consent).toBe(3);
      expect(clear).toHaveBeenCalledOnce();
      expect(client.consent).toBe('denied');
    });
  });

  describe('shutdown with a store', () => {
    it('should store what shutdown could not send (queued, and the batch it aborts) without reporting it as dropped', async () => {
      const saved: TelemetryEvent[][] = [];
      const store: EventStore = { save: (events) => (saved.push([...events]), true), load: () => Promise.resolve([]), clear: () => Promise.resolve() };
      const { client, warnings } = makeClient({ store, maxBatchEvents: 1, transport: { send: () => new Promise(() => undefined) } });
      for (const name of ['a', 'b', 'c']) client.track(name);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await client.shutdown(100);
      expect(saved.flat().map((e) => e.name).sort()).toEqual(['a', 'b', 'c']);
      expect(client.stats.persisted).toBe(3);
      expect(client.stats.dropped.shutdown).toBe(0);
      expect(warnings.filter((w) => w.includes('dropped'))).toEqual([]);
    });
  });

  describe('queue bounds', () => {
    it('should count queue_full drops exactly and pass them to onDrop', () => {
      const onDrop = vi.fn();
      const { client } = makeClient({ maxQueueEvents: 10, flushIntervalMs: 60_000, maxBatchEvents: 10, transport: { send: () => new Promise(() => undefined) }, onDrop });
      for (let i = 0; i < 25; i++) client.track('x');
      expect(client.stats.dropped.queue_full).toBe(15);
      expect(onDrop).toHaveBeenCalledTimes(15);
      expect(onDrop.mock.calls[0]?.[0]).toBe('queue_full');
    });

    it('should count a batch the receiver refuses as rejected, without retrying it', async () => {
      const transport = memoryTransport(() => ({ kind: 'failure', reason: 'HTTP 400', status: 400 }));
      const { client } = makeClient({ transport });
      client.track('x');
      await client.flush(1000);
      expect(client.stats.dropped.rejected).toBe(1);
      expect(transport.requests).toHaveLength(1);
    });
  });

  describe('store', () => {
    it('should queue what the store gives back and persist what shutdown could not send', async () => {
      const saved: TelemetryEvent[] = [];
      const old: TelemetryEvent = { id: 'old-1', name: 'earlier', timestamp: 1, sessionId: 's0', appVersion: '1', platform: 'p', properties: {} };
      const store: EventStore = { save: (e) => (saved.push(...e), true), load: async (onExpired) => (onExpired?.(2), [old, { bad: true } as unknown as TelemetryEvent]), clear: async () => undefined };
      const transport = memoryTransport();
      const { client } = makeClient({ store, transport });
      await client.flush(1000);
      expect(transport.events.map((e) => e.id)).toEqual(['old-1']);
      expect(client.stats.restored).toBe(1);
      expect(client.stats.dropped.expired).toBe(2);
      expect(client.stats.dropped.invalid).toBe(1);

      const empty: EventStore = { ...store, load: async () => [] };
      const down = createTelemetryClient({ store: empty, transport: { send: async () => ({ kind: 'retryable', reason: 'down' }) }, diagnostics: createDiagnostics({ level: 'none' }), registry: createMetricsRegistry(), flushIntervalMs: 10 });
      down.track('late');
      await down.shutdown(200);
      expect(saved.map((e) => e.name)).toContain('late');
      expect(down.stats.persisted).toBe(1);
      expect(sum(down.stats.dropped)).toBe(0);
    });
  });

  describe('self-metrics', () => {
    it('should export delivery and drop counts by reason as Lookout metrics', async () => {
      const { client, registry } = makeClient({ signal: 'product_events' });
      client.track('ok');
      client.track('', {});
      await client.flush(1000);
      const text = await renderPrometheus(registry);
      expect(text).toContain('lookout_delivery_items_sent_total{signal="product_events"} 1');
      expect(text).toContain('lookout_delivery_items_dropped_total{signal="product_events",reason="invalid"} 1');
      expect(text).toContain('lookout_telemetry_events_tracked_total{signal="product_events"} 2');
      expect(TELEMETRY_DROP_REASONS).toContain('consent');
    });

    it('should count the bodies gzip compressed, their bytes before and after, and export them', async () => {
      const { client, registry, transport } = makeClient({ signal: 'big_events', compression: 'gzip' });
      for (let i = 0; i < 50; i++) client.track('page', { path: `/orders/${i}`, note: 'x'.repeat(100) });
      await client.flush(1000);
      const gzipped = transport.requests.filter((r) => r.headers?.['content-encoding'] === 'gzip');
      expect(gzipped.length).toBeGreaterThan(0);
      expect(transport.events).toHaveLength(50);
      const bytesOut = gzipped.reduce((n, r) => n + r.bytes, 0);
      expect(client.stats.compression).toMatchObject({ bodies: gzipped.length, bytesOut, failures: 0 });
      expect(client.stats.compression.bytesIn).toBeGreaterThan(bytesOut * 5);
      const text = await renderPrometheus(registry);
      expect(text).toContain(`lookout_delivery_compressed_bytes_total{signal="big_events",stage="after"} ${bytesOut}`);
      expect(text).toContain(`lookout_delivery_compressed_bytes_total{signal="big_events",stage="before"} ${client.stats.compression.bytesIn}`);
      expect(text).toContain('lookout_delivery_compression_failures_total{signal="big_events"} 0');
    });

    it('should export nothing, not even to the default registry, when no registry is passed', async () => {
      const defaults = resetDefaultRegistryForTests();
      defaults.enable();
      try {
        const transport = memoryTransport();
        const client = createTelemetryClient({ transport, diagnostics: createDiagnostics({ level: 'none' }), flushIntervalMs: 10, format: 'json', signal: 'noreg_events' });
        client.track('ok');
        await client.flush(1000);
        expect(client.stats.sent).toBe(1);
        expect(await renderPrometheus(defaults)).not.toContain('noreg_events');
      } finally {
        resetDefaultRegistryForTests();
      }
    });
  });

  describe('options', () => {
    it('should report each invalid option once and fall back to its default', () => {
      const { diagnostics, warnings } = recordingDiagnostics();
      const client = createTelemetryClient({ endpoint: 'ftp://x', maxQueueEvents: -1, diagnostics, registry: createMetricsRegistry() } as TelemetryClientOptions);
      expect(warnings.some((w) => w.includes('endpoint'))).toBe(true);
      expect(warnings.some((w) => w.includes('maxQueueEvents'))).toBe(true);
      expect(client.track('x')).toBeTypeOf('string');
    });

    it('should throw LookoutConfigError with strict: true', () => {
      expect(() => createTelemetryClient({ strict: true, format: 'xml' } as unknown as TelemetryClientOptions)).toThrow(LookoutConfigError);
    });

    it('should never throw on garbage options', () => {
      fc.assert(
        fc.property(fc.anything(), (options) => {
          const { diagnostics } = recordingDiagnostics();
          const input = typeof options === 'object' && options !== null && !Array.isArray(options) ? { ...options, diagnostics, strict: false } : options;
          expect(() => createTelemetryClient(input as TelemetryClientOptions).track('x')).not.toThrow();
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('shutdown', () => {
    it('should be idempotent and drop later events as shutdown', async () => {
      const { client } = makeClient();
      const a = client.shutdown(100);
      expect(client.shutdown(100)).toBe(a);
      await a;
      expect(client.track('late')).toBeUndefined();
      expect(client.stats.dropped.shutdown).toBe(1);
    });
  });
});

describe('findEventIssue', () => {
  it('should agree with telemetryEventSchema on every input (the fast path accepts only what the schema accepts)', async () => {
    const { findEventIssue, telemetryEventSchema } = await import('@lookout/telemetry');
    const text = (max: number) => fc.oneof(fc.string({ minLength: 0, maxLength: max + 2 }), fc.constant(undefined), fc.integer());
    const event = fc.record(
      {
        id: text(64),
        name: text(256),
        timestamp: fc.oneof(fc.integer({ min: -5, max: 2 ** 53 }), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
        sessionId: text(128),
        userId: text(256),
        anonymousId: text(256),
        appVersion: text(128),
        platform: text(128),
        sampleRate: fc.oneof(fc.double(), fc.constant(undefined)),
        properties: fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 20 })), fc.anything()),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(event, fc.anything()), (candidate) => {
        expect(findEventIssue(candidate) === undefined).toBe(telemetryEventSchema.safeParse(candidate).success);
      }),
      { numRuns: 2000 },
    );
  });
});
