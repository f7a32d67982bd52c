import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createDiagnostics } from '@lookout/core';
import { MONITORING_FIELD_CHECKS } from '@lookout/browser';
import {
  captureException,
  DEFAULT_LITE_ERRORS_PER_MINUTE,
  flush,
  getMonitoring,
  identify,
  initMonitoring,
  LITE_FIELD_CHECKS,
  optOut,
  resetLiteMonitoringForTests,
  setRoute,
  shutdown,
  track,
  trackDownload,
} from '@lookout/browser/lite';
import type { LiteMonitoring, LiteMonitoringOptions } from '@lookout/browser/lite';
import { resolveMonitoringOptions } from '@lookout/browser/schema';
import type { ReceivedRequest } from '../../../../testing/backends.js';
import { allEvents } from '../helpers/otlpJson.js';
import type { ReceivedEvent } from '../helpers/otlpJson.js';
import { webVitals } from '../../../../testing/fakeWebVitals.js';

// ---------------------------------------------------------------------------------------------
// Fakes: web-vitals (its callbacks kept so tests report metrics by hand), the page, fetch.
// ---------------------------------------------------------------------------------------------

vi.mock('web-vitals', () => import('../../../../testing/fakeWebVitals.js'));

let metricIds = 0;
/** Reports a metric through the callback the vitals gave web-vitals. */
function emitVital(metric: { name: string; value: number } & Record<string, unknown>): void {
  const callback = webVitals.callbacks.get(metric.name);
  if (callback === undefined) throw new Error(`web vitals did not subscribe to ${metric.name}`);
  callback({ delta: metric.value, rating: 'good', id: `v6-${++metricIds}`, navigationType: 'navigate', ...metric });
}

type Listener = (event?: unknown) => void;
interface Registered {
  type: string;
  listener: Listener;
  capture: boolean;
}

/** An EventTarget as far as Lookout uses one: listeners matched by type, function and capture flag. */
function fakeTarget() {
  const registered: Registered[] = [];
  return {
    registered,
    addEventListener(type: string, listener: Listener, capture?: boolean) {
      if (!registered.some((r) => r.type === type && r.listener === listener && r.capture === !!capture)) registered.push({ type, listener, capture: !!capture });
    },
    removeEventListener(type: string, listener: Listener, capture?: boolean) {
      const i = registered.findIndex((r) => r.type === type && r.listener === listener && r.capture === !!capture);
      if (i >= 0) registered.splice(i, 1);
    },
    fire(type: string, event: Record<string, unknown> = {}) {
      for (const r of [...registered]) if (r.type === type) r.listener({ type, ...event });
    },
  };
}

/** Installs `window` (globalThis) listeners, `document`, `location` and `PerformanceObserver`; vi.unstubAllGlobals removes them. */
function installPage(pathname = '/products/123') {
  const win = fakeTarget();
  const doc = Object.assign(fakeTarget(), { visibilityState: 'visible' as 'visible' | 'hidden' });
  const location = { pathname };
  vi.stubGlobal('addEventListener', win.addEventListener);
  vi.stubGlobal('removeEventListener', win.removeEventListener);
  vi.stubGlobal('document', doc);
  vi.stubGlobal('location', location);
  vi.stubGlobal('PerformanceObserver', function PerformanceObserver() {});
  return {
    win,
    doc,
    go(path: string) {
      location.pathname = path;
    },
  };
}

const ENDPOINT = 'https://collector.test/v1/logs';

/** A `fetch` that answers 200 and keeps each request as the receiver would get it. */
function fakeFetch() {
  const requests: ReceivedRequest[] = [];
  const fetch = vi.fn(async (url: string, init: { method: string; headers: Record<string, string>; body: string | Uint8Array; keepalive?: boolean }) => {
    const body = Buffer.from(typeof init.body === 'string' ? init.body : init.body);
    requests.push({
      method: init.method,
      url: new URL(url).pathname,
      headers: Object.fromEntries(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v])),
      body,
      text: () => body.toString('utf8'),
      json: () => JSON.parse(body.toString('utf8')),
    });
    return { status: 200, headers: { get: () => null }, arrayBuffer: async () => new ArrayBuffer(0) };
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, requests, events: (): ReceivedEvent[] => allEvents(requests) };
}

/** A host's diagnostics: `warn(code, message)`, recorded. */
function recorder() {
  const warnings: Array<{ code: string; message: string }> = [];
  return { diagnostics: { warn: (code: string, message: string) => void warnings.push({ code, message }) }, warnings };
}

const codes = (warnings: Array<{ code: string }>, prefix = '') => warnings.map((w) => w.code).filter((c) => c.startsWith(prefix));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Silences console.warn and records what Lookout would have written there (from now on only). */
function consoleWarnings() {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  warn.mockClear();
  return warn;
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

// ---------------------------------------------------------------------------------------------

const handles: LiteMonitoring[] = [];
let page: ReturnType<typeof installPage>;

/** Starts monitoring with a fake fetch, recorded diagnostics and `extra` options. */
function start(extra: LiteMonitoringOptions = {}) {
  const net = fakeFetch();
  const { diagnostics, warnings } = recorder();
  const monitoring = initMonitoring({ serviceName: 'shop', endpoint: ENDPOINT, diagnostics, ...extra });
  handles.push(monitoring);
  /** Flushes, then every event the fake receiver got. */
  const sent = async (): Promise<ReceivedEvent[]> => {
    await monitoring.flush(2000);
    return net.events();
  };
  return { monitoring, net, warnings, sent };
}

beforeEach(() => {
  page = installPage();
  webVitals.callbacks.clear();
  webVitals.subscribed.length = 0;
});

afterEach(async () => {
  // Settled, not all: a test may leave a handle whose shutdown rejected (a bug it reports).
  await Promise.allSettled(handles.splice(0).map((h) => h.shutdown(500)));
  await shutdown(500);
  resetLiteMonitoringForTests();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('initMonitoring (lite)', () => {
  describe('events', () => {
    it('should POST each event as an OTLP log record of the service, with its headers, to the endpoint', async () => {
      const { monitoring, net, sent } = start({ serviceVersion: '1.2.3', environment: 'staging', headers: { authorization: 'Bearer t0k' } });
      const id = monitoring.track('checkout_started', { items: 3, coupon: 'SPRING' });
      expect(id).toEqual(expect.any(String));
      const events = await sent();
      expect(events).toEqual([
        {
          name: 'checkout_started',
          attributes: { items: 3, coupon: 'SPRING', 'event.id': id, 'session.id': monitoring.sessionId },
          resource: expect.objectContaining({ 'service.name': 'shop', 'service.version': '1.2.3', 'deployment.environment.name': 'staging' }),
        },
      ]);
      expect(net.requests).toHaveLength(1);
      expect(net.requests[0]).toMatchObject({ method: 'POST', url: '/v1/logs', headers: { authorization: 'Bearer t0k', 'content-type': 'application/json' } });
      expect(monitoring.stats.sent).toBe(1);
    });

    it('should drop an invalid event with one diagnostic and count it invalid', async () => {
      const { monitoring, warnings, sent } = start();
      expect(monitoring.track('')).toBeUndefined();
      expect(monitoring.track('x'.repeat(129))).toBeUndefined();
      expect(monitoring.track('ok', { fn: () => 1 } as never)).toBeUndefined();
      expect(monitoring.track('ok', [1] as never)).toBeUndefined();
      expect(monitoring.stats.dropped.invalid).toBe(4);
      expect(codes(warnings, 'lite/invalid')).toHaveLength(1);
      expect(await sent()).toEqual([]);
    });
  });

  describe('options', () => {
    it('should treat __proto__ and inherited names as unknown options and keep checking the rest', async () => {
      const { diagnostics, warnings } = recorder();
      const net = fakeFetch();
      const options = JSON.parse(`{"endpoint":"${ENDPOINT}","__proto__":{},"toString":"x","__defineGetter__":1,"serviceName":"shop","consent":"denied"}`) as LiteMonitoringOptions;
      const monitoring = initMonitoring({ ...options, diagnostics });
      handles.push(monitoring);
      expect(codes(warnings, 'config.invalid').sort()).toEqual(['config.invalid:__defineGetter__', 'config.invalid:__proto__', 'config.invalid:toString']);
      expect(monitoring.consent).toBe('denied');
      monitoring.track('x');
      await monitoring.flush(100);
      expect(net.requests).toHaveLength(0);
      expect(monitoring.stats.dropped.consent).toBe(1);
    });

    it('should report each invalid or unknown option once, by its path, and use its default', async () => {
      const { diagnostics, warnings } = recorder();
      const net = fakeFetch();
      const monitoring = initMonitoring({
        serviceName: 'shop',
        endpoint: ENDPOINT,
        diagnostics,
        consent: 'maybe',
        colour: 'red',
        maxBatchEvents: 0,
        headers: { a: 1 },
        errors: { maxPerMinute: 0 },
        webVitals: { reportAllChanges: 'yes' },
      } as unknown as LiteMonitoringOptions);
      handles.push(monitoring);
      expect(codes(warnings, 'config.invalid')).toEqual([
        'config.invalid:consent',
        'config.invalid:colour',
        'config.invalid:maxBatchEvents',
        'config.invalid:headers',
        'config.invalid:errors',
        'config.invalid:webVitals',
      ]);
      const messages = warnings.map((w) => w.message).join('\n');
      expect(messages).toContain('initMonitoring: headers.a is invalid or unknown; the default is used');
      expect(messages).toContain('initMonitoring: errors.maxPerMinute is invalid');
      expect(messages).toContain('initMonitoring: webVitals.reportAllChanges is invalid');
      expect(monitoring.consent).toBe('granted');
      monitoring.track('still works');
      await monitoring.flush(2000);
      expect(net.events().map((e) => e.name)).toEqual(['still works']);
      expect(net.requests[0]?.headers['a']).toBeUndefined();
    });

    // fetch refuses such a header, failing every request alike: it was retried as a network error until retries_exhausted.
    it('should refuse headers fetch would refuse, naming the header and never its value', async () => {
      const { diagnostics, warnings } = recorder();
      const net = fakeFetch();
      handles.push(initMonitoring({ serviceName: 'shop', endpoint: ENDPOINT, diagnostics, headers: { 'x-ok': 'yes', authorization: 'Bearer s3cr3t\n' } }));
      expect(warnings.map((w) => w.message)).toContain('initMonitoring: headers.authorization is invalid or unknown; the default is used');
      expect(JSON.stringify(warnings)).not.toContain('s3cr3t');
      track('still sent');
      await getMonitoring()!.flush(2000);
      expect(net.events().map((e) => e.name)).toEqual(['still sent']);
      expect(net.requests[0]?.headers).toEqual({ 'content-type': 'application/json' });
    });

    it('should warn once each without serviceName or endpoint, and count events no_endpoint', async () => {
      const { diagnostics, warnings } = recorder();
      const net = fakeFetch();
      const monitoring = initMonitoring({ diagnostics });
      handles.push(monitoring);
      expect(codes(warnings)).toEqual(['browser/no-service-name', 'browser/no-endpoint']);
      expect(monitoring.track('lost')).toBeUndefined();
      expect(monitoring.captureException(new Error('lost too'))).toBeUndefined();
      expect(monitoring.stats.dropped.no_endpoint).toBe(2);
      await monitoring.flush(100);
      expect(net.fetch).not.toHaveBeenCalled();
    });

    it('should send as unknown_service without serviceName', async () => {
      const { diagnostics } = recorder();
      const net = fakeFetch();
      const monitoring = initMonitoring({ endpoint: ENDPOINT, diagnostics });
      handles.push(monitoring);
      monitoring.track('anon');
      await monitoring.flush(2000);
      expect(net.events()[0]?.resource['service.name']).toBe('unknown_service');
    });

    it('should use the defaults, with one console warning, when the options are not a plain object', async () => {
      const warn = consoleWarnings();
      for (const options of ['shop', 42, [], null, new Map(), Object.create({ serviceName: 'x' })]) {
        warn.mockClear();
        const monitoring = initMonitoring(options as LiteMonitoringOptions);
        expect(warn.mock.calls.filter(([m]) => String(m).includes('options must be a plain object'))).toEqual([
          ['[lookout] initMonitoring: options must be a plain object; the defaults are used'],
        ]);
        expect(monitoring.consent).toBe('granted');
        await monitoring.shutdown(100);
      }
    });

    it('should warn on the console, and name diagnostics, when diagnostics has no warn method', () => {
      const warn = consoleWarnings();
      fakeFetch();
      handles.push(initMonitoring({ serviceName: 'shop', endpoint: ENDPOINT, diagnostics: { warn: 'loudly' } as never }));
      expect(warn.mock.calls).toEqual([['[lookout] initMonitoring: diagnostics is invalid or unknown; the default is used']]);
    });

    // initMonitoring never throws; reading `diagnostics.warn` is the one read of the options outside its try.
    it('should not throw when diagnostics has a throwing warn getter or is a revoked proxy', () => {
      consoleWarnings();
      const hostile = { 'throwing warn getter': { get warn(): never { throw new Error('trap'); } }, 'revoked proxy': revokedProxy() };
      const threw: string[] = [];
      for (const [what, diagnostics] of Object.entries(hostile)) {
        try {
          handles.push(initMonitoring({ serviceName: 'shop', diagnostics } as never));
        } catch (error) {
          threw.push(`${what}: ${(error as Error).message}`);
        }
        resetLiteMonitoringForTests();
      }
      expect(threw).toEqual([]);
    });

    // Budgets are numbers (ms; CLS unitless) or false; anything else is an invalid option with one diagnostic.
    it('should refuse web vitals budgets that are not numbers or false', async () => {
      const accepted: unknown[] = [];
      for (const budget of [null, true, '500', [], {}, 'fast']) {
        const { diagnostics, warnings } = recorder();
        const monitoring = initMonitoring({ serviceName: 'shop', diagnostics, webVitals: { budgets: { LCP: budget } } } as never);
        if (!codes(warnings, 'config.invalid').includes('config.invalid:webVitals')) accepted.push(budget);
        await monitoring.shutdown(100);
      }
      expect(accepted).toEqual([]);
    });

    // As in @lookout/web-vitals, whose schema takes `z.optional(budget)`: a budget left undefined keeps its default.
    it('should accept a budget left undefined, keeping the rest of the web vitals options', () => {
      const { diagnostics, warnings } = recorder();
      handles.push(initMonitoring({ serviceName: 'shop', diagnostics, webVitals: { budgets: { LCP: undefined, INP: 300 }, reportAllChanges: true } }));
      expect(codes(warnings, 'config.invalid')).toEqual([]);
    });

    it('should accept budgets of known metrics that are numbers or false, and refuse others', () => {
      const check = LITE_FIELD_CHECKS.webVitals;
      expect(check({ budgets: { LCP: 2500, CLS: 0.05, TTFB: false } })).toBe(true);
      expect(check({ budgets: { FID: 100 } })).toBe('budgets');
      expect(check({ budgets: { LCP: -1 } })).toBe('budgets');
      expect(check({ budgets: { LCP: Number.NaN } })).toBe('budgets');
      expect(check({ onBudgetExceeded: 'no' })).toBe('onBudgetExceeded');
      expect(check({ sampleRate: 1 })).toBe('sampleRate');
      expect([check(true), check(false), check(null), check([])]).toEqual([true, true, false, false]);
    });

    describe('shared with @lookout/browser', () => {
      const SHARED = ['serviceName', 'serviceVersion', 'environment', 'endpoint', 'headers', 'consent', 'userId'] as const;
      class Headers {
        authorization = 'Bearer x';
      }
      // Values valid for some shared options and invalid for others, and anything at all.
      const value = fc.oneof(
        fc.constantFrom(undefined, null, true, false, 0, 1, '', 'x', 'granted', 'pending', 'denied', 'maybe', 'GRANTED'),
        fc.constantFrom('https://collector.example.com/v1/logs', 'http://localhost:4318/v1/logs', 'ftp://example.com/', '/v1/logs', 'not a url', 'https://', 'javascript:alert(1)'),
        fc.constantFrom('a'.repeat(128), 'a'.repeat(129), 'a'.repeat(256), 'a'.repeat(257)),
        fc.constantFrom({}, [], ['a'], { authorization: 'Bearer x' }, { a: 1 }, { a: undefined }, { a: 'b', c: null }, new Headers(), Object.assign(Object.create(null) as object, { a: 'b' }), new Map([['a', 'b']])),
        // Headers fetch refuses (a line break, a space in the name, a character past Latin-1) and one it takes (Latin-1).
        fc.constantFrom({ authorization: 'Bearer x\n' }, { 'x token': 'a' }, { 'x-a': 'caf\u00e9' }, { 'x-a': '\u20ac' }, { '': 'a' }),
        fc.string({ maxLength: 300 }),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
        fc.anything(),
      );
      const silent = () => createDiagnostics({ logger: { error() {}, warn() {}, info() {}, debug() {} } });

      it('should accept exactly what the zod schema of @lookout/browser/schema accepts', () => {
        fc.assert(
          fc.property(fc.constantFrom(...SHARED), value, (key, v) => {
            const lite = v === undefined || LITE_FIELD_CHECKS[key](v) === true;
            const full = v === undefined || MONITORING_FIELD_CHECKS[key](v) === true;
            const zod = resolveMonitoringOptions({ [key]: v }, silent()).ok;
            expect([lite, full], `${key}: ${fc.stringify(v)}`).toEqual([zod, zod]);
          }),
          { numRuns: 2000 },
        );
      });

      it('should give a diagnostic for a shared option exactly when the zod schema refuses it', async () => {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...SHARED), value, async (key, v) => {
            const { diagnostics, warnings } = recorder();
            const monitoring = initMonitoring({ [key]: v, diagnostics, webVitals: false, errors: false } as LiteMonitoringOptions);
            const refused = codes(warnings, 'config.invalid').includes(`config.invalid:${key}`);
            expect(refused, `${key}: ${fc.stringify(v)}`).toBe(!resolveMonitoringOptions({ [key]: v }, silent()).ok);
            await monitoring.shutdown(50);
            resetLiteMonitoringForTests();
          }),
          { numRuns: 300 },
        );
      });
    });
  });

  describe('before init', () => {
    it('should return undefined and replay the calls in order at init', async () => {
      expect(track('early', { n: 1 })).toBeUndefined();
      expect(identify('user-7')).toBeUndefined();
      expect(trackDownload('mac', 'dmg', '3.0.0')).toBeUndefined();
      expect(setRoute('pricing')).toBeUndefined();
      expect(captureException(new TypeError('too early'))).toBeUndefined();
      expect(getMonitoring()).toBeUndefined();
      const { sent } = start({ webVitals: false });
      const events = await sent();
      // Naming the landing page (no URL change) is not a soft navigation: no event, later events carry the name.
      expect(events.map((e) => e.name)).toEqual(['early', 'download', 'error']);
      expect(events[0]?.attributes).toMatchObject({ n: 1 });
      expect(events[0]?.attributes['user.id']).toBeUndefined();
      expect(events[1]?.attributes).toMatchObject({ platform: 'mac', method: 'dmg', version: '3.0.0', 'user.id': 'user-7' });
      expect(events[2]?.attributes).toMatchObject({ type: 'TypeError', message: 'too early', mechanism: 'manual', handled: true, route: 'pricing' });
    });

    it('should apply a queued optOut before anything is sent, even after a full batch of queued events', async () => {
      for (const name of ['a', 'b', 'c']) track(name);
      optOut();
      const { monitoring, net } = start({ webVitals: false, maxBatchEvents: 2 });
      await monitoring.flush(200);
      expect(net.fetch).not.toHaveBeenCalled();
      expect(monitoring.stats.dropped.consent).toBe(3);
    });

    it('should apply a queued optOut before anything is sent', async () => {
      track('before opt-out');
      optOut();
      track('after opt-out');
      const { monitoring, net } = start({ webVitals: false });
      await monitoring.flush(200);
      expect(monitoring.consent).toBe('denied');
      expect(net.fetch).not.toHaveBeenCalled();
      expect(monitoring.stats.dropped.consent).toBe(2);
    });

    it('should keep at most 100 calls and report the rest once at init', async () => {
      for (let i = 0; i < 105; i++) track('early', { i });
      const { warnings, sent } = start({ webVitals: false });
      const events = await sent();
      expect(events).toHaveLength(100);
      expect(events.map((e) => e.attributes['i'])).toEqual([...Array(100).keys()]);
      expect(warnings.filter((w) => w.code === 'browser/pending-overflow').map((w) => w.message)).toEqual(['initMonitoring: 5 call(s) made before init were dropped']);
    });

    it('should not report an overflow on the next init', async () => {
      for (let i = 0; i < 101; i++) track('early');
      const first = start({ webVitals: false });
      expect(codes(first.warnings, 'browser/pending-overflow')).toHaveLength(1);
      await first.monitoring.shutdown(500);
      const second = start({ webVitals: false });
      expect(codes(second.warnings, 'browser/pending-overflow')).toEqual([]);
    });

    it('should forget queued calls and the running instance on resetLiteMonitoringForTests', async () => {
      track('forgotten');
      resetLiteMonitoringForTests();
      const { monitoring, sent } = start({ webVitals: false });
      expect(await sent()).toEqual([]);
      resetLiteMonitoringForTests();
      expect(getMonitoring()).toBeUndefined();
      expect(initMonitoring({ webVitals: false, diagnostics: recorder().diagnostics })).not.toBe(monitoring);
    });

    it('should resolve flush and shutdown at once when nothing is running', async () => {
      await expect(flush(10)).resolves.toBe(true);
      await expect(shutdown(10)).resolves.toBeUndefined();
    });
  });

  describe('lifecycle', () => {
    it('should warn on a second init and return the running handle, ignoring its options', async () => {
      const { monitoring, net } = start({ webVitals: false });
      const { diagnostics, warnings } = recorder();
      expect(initMonitoring({ serviceName: 'other', endpoint: 'https://elsewhere.test/v1/logs', diagnostics })).toBe(monitoring);
      expect(getMonitoring()).toBe(monitoring);
      expect(warnings).toEqual([{ code: 'browser/already-initialised', message: 'initMonitoring: already running; the running instance is returned' }]);
      track('via the module');
      await monitoring.flush(2000);
      expect(net.events().map((e) => [e.name, e.resource['service.name']])).toEqual([['via the module', 'shop']]);
    });

    it('should leave nothing running when starting fails after the client and error capture started', async () => {
      // Capture-phase listeners refused (the last thing start installs): everything before it is undone.
      const refuse = page.win.addEventListener;
      vi.stubGlobal('addEventListener', (type: string, listener: Listener, capture?: boolean) => {
        if (capture) throw new Error('capture refused');
        refuse(type, listener, capture);
      });
      const net = fakeFetch();
      const { diagnostics, warnings } = recorder();
      const monitoring = initMonitoring({ serviceName: 'shop', endpoint: ENDPOINT, diagnostics });
      expect(codes(warnings, 'browser/internal:init')).toHaveLength(1);
      expect(monitoring.consent).toBe('denied');
      await tick();
      page.win.fire('error', { error: new Error('after the failed start') });
      page.doc.visibilityState = 'hidden';
      page.doc.fire('visibilitychange');
      page.win.fire('pagehide');
      await tick();
      expect(page.win.registered).toEqual([]);
      expect(page.doc.registered).toEqual([]);
      expect(webVitals.subscribed).toEqual([]);
      expect(net.requests).toHaveLength(0);
    });

    it('should hand out a handle that does nothing when starting fails, with one diagnostic', async () => {
      // A page whose document refuses listeners: the event client cannot start.
      vi.stubGlobal('document', { visibilityState: 'visible', addEventListener() { throw new Error('listeners refused'); }, removeEventListener() {} });
      const net = fakeFetch();
      const { diagnostics, warnings } = recorder();
      const monitoring = initMonitoring({ serviceName: 'shop', endpoint: ENDPOINT, diagnostics });
      expect(warnings.filter((w) => w.code === 'browser/internal:init').map((w) => w.message)).toEqual(['initMonitoring: could not start: listeners refused']);
      expect(getMonitoring()).toBe(monitoring);
      expect(monitoring.consent).toBe('denied');
      expect(monitoring.track('x')).toBeUndefined();
      expect(await monitoring.flush(10)).toBe(true);
      await monitoring.shutdown(10);
      expect(getMonitoring()).toBeUndefined();
      expect(net.requests).toHaveLength(0);
    });

    it('should flush on shutdown, then drop later events as shutdown, and allow a new init', async () => {
      const { monitoring, net } = start({ webVitals: false });
      monitoring.track('before');
      await monitoring.shutdown(1000);
      expect(net.events().map((e) => e.name)).toEqual(['before']);
      expect(getMonitoring()).toBeUndefined();
      expect(monitoring.track('after')).toBeUndefined();
      expect(monitoring.stats.dropped.shutdown).toBe(1);
      const next = start({ webVitals: false });
      expect(next.monitoring).not.toBe(monitoring);
      expect(getMonitoring()).toBe(next.monitoring);
    });

    it('should be idempotent', async () => {
      const { monitoring } = start();
      const first = monitoring.shutdown(500);
      expect(monitoring.shutdown(500)).toBe(first);
      await first;
      await expect(monitoring.shutdown(500)).resolves.toBeUndefined();
    });

    it('should remove every listener it added', async () => {
      const { monitoring } = start();
      await tick();
      expect(page.win.registered.map((r) => `${r.type}${r.capture ? ' (capture)' : ''}`).sort()).toEqual(['error', 'pagehide', 'unhandledrejection', 'visibilitychange (capture)']);
      expect(page.doc.registered.map((r) => r.type)).toEqual(['visibilitychange']);
      await monitoring.shutdown(500);
      expect(page.win.registered).toEqual([]);
      expect(page.doc.registered).toEqual([]);
    });

    it('should not start web vitals when shut down before their task', async () => {
      const { monitoring } = start();
      void monitoring.shutdown(500);
      await tick();
      page.doc.visibilityState = 'hidden';
      page.win.fire('visibilitychange');
      expect(webVitals.subscribed).toEqual([]);
    });

    it('should stop reporting web vitals on shutdown', async () => {
      const { monitoring, net } = start();
      await tick();
      emitVital({ name: 'FCP', value: 100 });
      await monitoring.shutdown(1000);
      emitVital({ name: 'LCP', value: 200 });
      expect(net.events().map((e) => [e.name, e.attributes['metric']])).toEqual([['web_vital', 'FCP']]);
      expect(monitoring.stats.dropped.shutdown).toBe(0);
    });

    it('should stop capturing page errors on shutdown', async () => {
      const { monitoring, net } = start({ webVitals: false });
      await monitoring.shutdown(500);
      page.win.fire('error', { error: new Error('after shutdown') });
      expect(monitoring.stats.dropped.shutdown).toBe(0);
      expect(net.fetch).not.toHaveBeenCalled();
    });

    // The handle's promises never reject; timeouts that setTimeout cannot convert to a number are garbage like any other.
    const oddTimeouts = (): Array<[string, unknown]> => [
      ['a symbol', Symbol('ms')],
      ['a bigint', 10n],
      ['an object whose valueOf throws', { valueOf: () => { throw new Error('no number'); } }],
      ['NaN', Number.NaN],
      ['a string', 'soon'],
    ];
    const outcome = (promise: unknown): Promise<string> => Promise.resolve(promise).then(() => 'resolved', (error: unknown) => `rejected: ${(error as Error).message}`);

    it('should resolve flush, never reject, whatever the timeout', async () => {
      const { monitoring } = start({ webVitals: false });
      monitoring.track('x');
      const outcomes: string[] = [];
      for (const [what, ms] of oddTimeouts()) outcomes.push(`${what}: ${await outcome(monitoring.flush(ms as never))}`);
      expect(outcomes).toEqual(oddTimeouts().map(([what]) => `${what}: resolved`));
    });

    it('should resolve shutdown, never reject, and stop sending, whatever the timeout', async () => {
      const outcomes: string[] = [];
      for (const [what, ms] of oddTimeouts()) {
        const listening = page.win.registered.length;
        const { monitoring } = start({ webVitals: false });
        const result = await outcome(monitoring.shutdown(ms as never));
        const stopped = monitoring.track('after shutdown') === undefined && page.win.registered.length === listening;
        outcomes.push(`${what}: ${result}, ${stopped ? 'stopped' : 'still sending'}`);
        resetLiteMonitoringForTests();
      }
      expect(outcomes).toEqual(oddTimeouts().map(([what]) => `${what}: resolved, stopped`));
    });
  });

  describe('trackDownload', () => {
    it('should send a download event { platform, method, version }', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      expect(monitoring.trackDownload('linux', 'deb', '2.1.0')).toEqual(expect.any(String));
      expect((await sent()).map((e) => [e.name, e.attributes['platform'], e.attributes['method'], e.attributes['version']])).toEqual([['download', 'linux', 'deb', '2.1.0']]);
    });

    it('should drop a download with a field that is not a string of 1–128 characters, with one diagnostic, counted invalid', async () => {
      const { monitoring, warnings, sent } = start({ webVitals: false });
      const bad: Array<[unknown, unknown, unknown]> = [['linux', '', '2.1.0'], ['linux', 'deb', 'v'.repeat(129)], [5, 'deb', '2.1.0'], ['linux', 'deb', undefined], [null, null, null]];
      for (const args of bad) expect((monitoring.trackDownload as (...a: unknown[]) => unknown)(...args)).toBeUndefined();
      expect(monitoring.trackDownload('l'.repeat(128), 'm', 'v')).toEqual(expect.any(String));
      expect(monitoring.stats.dropped.invalid).toBe(bad.length);
      expect(codes(warnings, 'browser/invalid-download')).toHaveLength(1);
      expect((await sent()).map((e) => e.name)).toEqual(['download']);
    });
  });

  describe('setRoute', () => {
    it('should send a soft_navigation event from the landing route to the named route, once per change', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      page.go('/cart');
      monitoring.setRoute('cart');
      monitoring.setRoute('cart');
      page.go('/checkout/42');
      monitoring.setRoute('  checkout  ');
      const events = await sent();
      expect(events.map((e) => e.name)).toEqual(['soft_navigation', 'soft_navigation']);
      expect(events.map((e) => ({ from: e.attributes['from'], to: e.attributes['to'], route: e.attributes['route'], source: e.attributes['source'] }))).toEqual([
        { from: '/products/:id', to: 'cart', route: 'cart', source: 'router' },
        { from: 'cart', to: 'checkout', route: 'checkout', source: 'router' },
      ]);
    });

    it('should leave soft navigations to web-vitals where the browser reports them, and send the router signal for one it does not report within a second', async () => {
      // A browser with the Soft Navigation API as web-vitals 6 reads it, and an observer of its entries.
      const observing = new Set<{ callback: (list: unknown) => void }>();
      const observer = Object.assign(
        function PerformanceObserver(this: { callback: unknown; observe(): void; disconnect(): void }, callback: (list: unknown) => void) {
          const self = { callback, observe: () => void observing.add(self), disconnect: () => void observing.delete(self) };
          return self;
        },
        { supportedEntryTypes: ['soft-navigation', 'largest-contentful-paint'] },
      );
      vi.stubGlobal('PerformanceObserver', observer);
      vi.stubGlobal('PerformanceSoftNavigation', { prototype: { getLargestInteractionContentfulPaint() {} } });
      const { monitoring, sent } = start();
      await tick();
      expect(webVitals.subscribed.map((s) => (s.options as { reportSoftNavs?: boolean }).reportSoftNavs)).toEqual(Array(5).fill(true));
      page.go('/checkout/42');
      monitoring.setRoute('checkout');
      // The browser reports it (after a user's click)...
      for (const o of [...observing]) o.callback({ getEntries: () => [{ name: 'http://shop.test/checkout/42', startTime: performance.now() }] });
      // ...and web-vitals its metrics with its URL: they carry the route named there.
      emitVital({ name: 'LCP', value: 900, navigationType: 'soft-navigation', navigationURL: 'http://shop.test/checkout/42' });
      // A redirect on a timer, which the browser does not report.
      page.go('/login');
      monitoring.setRoute('login');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const events = await sent();
      expect(events.filter((e) => e.name === 'soft_navigation').map((e) => [e.attributes['from'], e.attributes['to'], e.attributes['source']])).toEqual([['checkout', 'login', 'router']]);
      expect(events.filter((e) => e.name === 'web_vital').map((e) => [e.attributes['navigation_type'], e.attributes['route']])).toEqual([['soft-navigation', 'checkout']]);
      expect(observing.size).toBe(0);
    });

    it('should send the router signal when the host turns reportSoftNavs off, even where the browser reports them', async () => {
      vi.stubGlobal('PerformanceObserver', Object.assign(function PerformanceObserver() {}, { supportedEntryTypes: ['soft-navigation'] }));
      vi.stubGlobal('PerformanceSoftNavigation', { prototype: { getLargestInteractionContentfulPaint() {} } });
      const { monitoring, sent } = start({ webVitals: { reportSoftNavs: false } });
      await tick();
      expect(webVitals.subscribed.map((s) => (s.options as { reportSoftNavs?: boolean }).reportSoftNavs)).toEqual(Array(5).fill(false));
      page.go('/cart');
      monitoring.setRoute('cart');
      expect((await sent()).filter((e) => e.name === 'soft_navigation').map((e) => [e.attributes['from'], e.attributes['to']])).toEqual([['/products/:id', 'cart']]);
    });

    it('should ignore a route that is not a non-empty string, with one diagnostic', async () => {
      const { monitoring, warnings, sent } = start({ webVitals: false });
      for (const route of ['', '   ', 42, null, undefined, {}]) expect(monitoring.setRoute(route as string)).toBeUndefined();
      expect(codes(warnings, 'browser/invalid-route')).toHaveLength(1);
      monitoring.captureException(new Error('where am I'));
      const events = await sent();
      expect(events.map((e) => e.name)).toEqual(['error']);
      expect(events[0]?.attributes['route']).toBe('/products/:id');
    });

    it('should name the route of later errors', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      monitoring.captureException(new Error('on the product page'));
      page.go('/checkout/42');
      monitoring.captureException(new Error('after pushState'));
      monitoring.setRoute('checkout');
      monitoring.captureException(new Error('after setRoute'));
      const errors = (await sent()).filter((e) => e.name === 'error');
      expect(errors.map((e) => [e.attributes['message'], e.attributes['route']])).toEqual([
        ['on the product page', '/products/:id'],
        ['after pushState', '/checkout/:id'],
        ['after setRoute', 'checkout'],
      ]);
    });
  });

  describe('identify', () => {
    it('should set the user id of later events, and clear it with undefined', async () => {
      const { monitoring, sent } = start({ webVitals: false, userId: 'initial-user' });
      monitoring.track('a');
      monitoring.identify('user-42');
      monitoring.track('b');
      monitoring.identify(undefined);
      monitoring.track('c');
      expect((await sent()).map((e) => [e.name, e.attributes['user.id']])).toEqual([
        ['a', 'initial-user'],
        ['b', 'user-42'],
        ['c', undefined],
      ]);
    });

    it('should ignore a user id that is not a string of 1–256 characters, with one diagnostic', async () => {
      const { monitoring, warnings, sent } = start({ webVitals: false });
      monitoring.identify('kept');
      for (const id of ['', 'u'.repeat(257), 42, null, {}]) expect(monitoring.identify(id as string)).toBeUndefined();
      monitoring.track('after');
      expect(codes(warnings, 'browser/invalid-user')).toHaveLength(1);
      expect((await sent())[0]?.attributes['user.id']).toBe('kept');
    });

    it('should scrub the user id', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      monitoring.identify('carol@example.com');
      monitoring.track('a');
      expect(JSON.stringify(await sent())).not.toContain('carol@example.com');
    });
  });

  describe('errors', () => {
    it('should send page errors and unhandled rejections as unhandled error events', async () => {
      const { sent } = start({ webVitals: false });
      page.win.fire('error', { error: new RangeError('index 9'), message: 'Uncaught RangeError: index 9' });
      page.win.fire('error', { error: null, message: 'Script error.' });
      page.win.fire('unhandledrejection', { reason: new TypeError('Failed to fetch') });
      const events = await sent();
      expect(events.map((e) => e.name)).toEqual(['error', 'error', 'error']);
      expect(events.map((e) => e.attributes)).toEqual([
        expect.objectContaining({ type: 'RangeError', message: 'index 9', category: 'javascript', severity: 'high', mechanism: 'onerror', handled: false, route: '/products/:id' }),
        expect.objectContaining({ type: 'ScriptError', message: 'Script error.', stack: '', mechanism: 'onerror', handled: false }),
        expect.objectContaining({ type: 'TypeError', message: 'Failed to fetch', category: 'network', mechanism: 'unhandledRejection', handled: false }),
      ]);
      expect(String(events[0]?.attributes['stack'])).toMatch(/^RangeError: index 9\n/);
    });

    it('should send captureException as a handled error event, scrubbed, and return its id', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      const id = monitoring.captureException(new Error('payment failed for carol@example.com'));
      const events = await sent();
      expect(events[0]?.attributes).toMatchObject({ 'event.id': id, type: 'Error', mechanism: 'manual', handled: true });
      expect(events[0]?.attributes['message']).toBe('payment failed for [REDACTED:email]');
      expect(JSON.stringify(events)).not.toContain('carol@example.com');
    });

    it('should scrub the message before cutting it to 1024 characters, so an address at the cut is masked', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      // Cut first, `carol@exam` no longer looked like an address and went out.
      monitoring.captureException(new Error('x'.repeat(1010) + ' carol@example.com'));
      const events = await sent();
      const message = String(events[0]?.attributes['message']);
      expect(message).toHaveLength(1024);
      expect(message.startsWith('x'.repeat(1010) + ' [REDACTED:')).toBe(true);
      expect(JSON.stringify(events)).not.toContain('carol');
    });

    it('should send the same error at most errors.maxPerMinute times a minute, counting the rest rate_limited', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
      const { monitoring, sent } = start({ webVitals: false, errors: { maxPerMinute: 2 } });
      const ids = [1, 2, 3, 4].map(() => monitoring.captureException(new TypeError('same')));
      expect(ids.map((id) => typeof id)).toEqual(['string', 'string', 'undefined', 'undefined']);
      page.win.fire('error', { error: new TypeError('same') });
      monitoring.captureException(new RangeError('same'));
      monitoring.captureException(new TypeError('other'));
      expect(monitoring.stats.dropped.rate_limited).toBe(3);
      vi.setSystemTime(1_000_000 + 60_000);
      monitoring.captureException(new TypeError('same'));
      const events = await sent();
      expect(events.map((e) => `${e.attributes['type']}: ${e.attributes['message']}`)).toEqual(['TypeError: same', 'TypeError: same', 'RangeError: same', 'TypeError: other', 'TypeError: same']);
    });

    it('should send one event per thrown object, however often it is captured, and return its id again', async () => {
      const { monitoring, sent } = start({ webVitals: false });
      const error = new TypeError('checkout failed');
      const id = monitoring.captureException(error);
      expect(monitoring.captureException(error)).toBe(id);
      page.win.fire('error', { error });
      monitoring.captureException(new TypeError('checkout failed'));
      monitoring.captureException('plain');
      monitoring.captureException('plain');
      expect((await sent()).map((e) => e.attributes['message'])).toEqual(['checkout failed', 'checkout failed', 'plain', 'plain']);
    });

    it('should not let errors captured while consent is denied use up the minute\'s allowance', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
      const { monitoring, sent } = start({ webVitals: false, consent: 'denied', errors: { maxPerMinute: 2 } });
      for (let i = 0; i < 3; i++) monitoring.captureException(new TypeError('same'));
      expect(monitoring.stats.dropped).toMatchObject({ consent: 3, rate_limited: 0 });
      monitoring.optIn();
      expect([1, 2].map(() => typeof monitoring.captureException(new TypeError('same')))).toEqual(['string', 'string']);
      expect(await sent()).toHaveLength(2);
    });

    it('should allow DEFAULT_LITE_ERRORS_PER_MINUTE (10) of the same error by default', async () => {
      expect(DEFAULT_LITE_ERRORS_PER_MINUTE).toBe(10);
      const { monitoring, sent } = start({ webVitals: false });
      for (let i = 0; i < 12; i++) monitoring.captureException('same');
      expect(monitoring.stats.dropped.rate_limited).toBe(2);
      expect(await sent()).toHaveLength(10);
    });

    it('should not listen to page errors with errors: false', async () => {
      const { net } = start({ webVitals: false, errors: false });
      expect(page.win.registered.map((r) => r.type)).not.toContain('error');
      expect(page.win.registered.map((r) => r.type)).not.toContain('unhandledrejection');
      page.win.fire('error', { error: new Error('unseen') });
      await flush(200);
      expect(net.events()).toEqual([]);
    });
  });

  describe('webVitals', () => {
    it('should start in the next task and send each report as a web_vital event', async () => {
      const { sent } = start();
      expect(webVitals.subscribed).toEqual([]);
      await tick();
      expect(webVitals.subscribed.map((s) => s.name).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
      emitVital({ name: 'LCP', value: 3456.78, rating: 'needs-improvement', id: 'v6-lcp', navigationURL: 'https://shop.test/products/123' });
      const events = await sent();
      expect(events.map((e) => e.name)).toEqual(['web_vital']);
      expect(events[0]?.attributes).toMatchObject({
        metric: 'LCP',
        value: 3456.8,
        rating: 'needs-improvement',
        id: 'v6-lcp',
        navigation_type: 'navigate',
        route: '/products/:id',
        over_budget: true,
        budget: 3000,
      });
    });

    it('should start at once when the page is hidden before that task', () => {
      start();
      page.doc.visibilityState = 'hidden';
      page.win.fire('visibilitychange');
      expect(webVitals.subscribed).toHaveLength(5);
    });

    it('should not start when the page turns visible again, only when hidden', () => {
      start();
      page.win.fire('visibilitychange');
      expect(webVitals.subscribed).toEqual([]);
    });

    it('should start once, however often the page is hidden', async () => {
      start();
      page.doc.visibilityState = 'hidden';
      page.win.fire('visibilitychange');
      page.win.fire('visibilitychange');
      await tick();
      expect(webVitals.subscribed).toHaveLength(5);
    });

    it('should label each metric with the route of the URL it was measured on', async () => {
      const { monitoring, sent } = start();
      await tick();
      emitVital({ name: 'TTFB', value: 50, navigationURL: 'https://shop.test/products/123' });
      page.go('/checkout/9');
      monitoring.setRoute('checkout');
      emitVital({ name: 'CLS', value: 0.01, navigationURL: 'https://shop.test/products/123' });
      emitVital({ name: 'LCP', value: 100, navigationType: 'soft-navigation', navigationURL: 'https://shop.test/checkout/9' });
      page.go('/cart');
      monitoring.setRoute('cart');
      emitVital({ name: 'INP', value: 40, navigationURL: 'https://shop.test/checkout/9' });
      emitVital({ name: 'FCP', value: 40, navigationURL: 'https://shop.test/cart' });
      emitVital({ name: 'FCP', value: 40 });
      const vitals = (await sent()).filter((e) => e.name === 'web_vital');
      expect(vitals.map((e) => `${e.attributes['metric']} ${e.attributes['route']}`)).toEqual([
        'TTFB /products/:id',
        'CLS /products/:id',
        'LCP checkout',
        'INP checkout',
        'FCP cart',
        'FCP cart',
      ]);
    });

    it('should pass budgets, onBudgetExceeded and reportAllChanges on to the vitals', async () => {
      const onBudgetExceeded = vi.fn();
      const { sent } = start({ webVitals: { budgets: { LCP: 1000, CLS: false }, onBudgetExceeded, reportAllChanges: true } });
      await tick();
      expect(webVitals.subscribed.map((s) => s.options)).toEqual(Array(5).fill({ reportAllChanges: true, reportSoftNavs: true }));
      emitVital({ name: 'LCP', value: 1500, id: 'l1' });
      emitVital({ name: 'LCP', value: 1800, id: 'l1' });
      emitVital({ name: 'CLS', value: 0.9, id: 'c1' });
      expect(onBudgetExceeded.mock.calls.map(([b]) => [b.name, b.value, b.budget, b.id, b.route])).toEqual([['LCP', 1500, 1000, 'l1', '/products/:id']]);
      const events = await sent();
      expect(events.map((e) => [e.attributes['metric'], e.attributes['budget'], e.attributes['over_budget']])).toEqual([
        ['LCP', 1000, true],
        ['LCP', 1000, true],
        ['CLS', undefined, false],
      ]);
    });

    it('should report a throwing onBudgetExceeded once as an internal error and keep reporting', async () => {
      const { warnings, sent } = start({
        webVitals: {
          onBudgetExceeded: () => {
            throw new Error('host bug');
          },
        },
      });
      await tick();
      expect(() => emitVital({ name: 'LCP', value: 9000 })).not.toThrow();
      expect(() => emitVital({ name: 'FCP', value: 9000 })).not.toThrow();
      expect(warnings.filter((w) => w.code === 'browser/internal:webVitals').map((w) => w.message)).toEqual(['initMonitoring: internal error in webVitals: host bug']);
      expect((await sent()).map((e) => e.attributes['metric'])).toEqual(['LCP', 'FCP']);
    });

    it('should not start with webVitals: false, nor add its page-hide listener', async () => {
      start({ webVitals: false });
      page.doc.visibilityState = 'hidden';
      page.win.fire('visibilitychange');
      await tick();
      expect(webVitals.subscribed).toEqual([]);
      expect(page.win.registered.some((r) => r.type === 'visibilitychange')).toBe(false);
    });

    it('should not start outside a page (no document or PerformanceObserver)', async () => {
      vi.stubGlobal('PerformanceObserver', undefined);
      start();
      await tick();
      expect(webVitals.subscribed).toEqual([]);
    });
  });

  describe('consent', () => {
    it('should hold events while pending, send them after optIn, and drop them after optOut', async () => {
      const { monitoring, net } = start({ consent: 'pending', webVitals: false });
      expect(monitoring.consent).toBe('pending');
      monitoring.track('a');
      monitoring.captureException(new Error('b'));
      await monitoring.flush(100);
      expect(net.fetch).not.toHaveBeenCalled();
      monitoring.optIn();
      await monitoring.flush(2000);
      expect(net.events().map((e) => e.name)).toEqual(['a', 'error']);
      monitoring.optOut();
      expect(monitoring.consent).toBe('denied');
      expect(monitoring.track('c')).toBeUndefined();
      expect(monitoring.stats.dropped.consent).toBe(1);
    });

    it('should send nothing with consent denied', async () => {
      const { monitoring, net } = start({ consent: 'denied', webVitals: false });
      expect(monitoring.track('a')).toBeUndefined();
      await monitoring.flush(100);
      expect(net.fetch).not.toHaveBeenCalled();
      expect(monitoring.stats.dropped.consent).toBe(1);
    });
  });

  describe('garbage', () => {
    /** Makers of values that break naive code, so fast-check never touches a revoked proxy itself. */
    const nasty: fc.Arbitrary<() => unknown> = fc.oneof(
      { weight: 4, arbitrary: fc.anything().map((v) => () => v) },
      fc.constant(revokedProxy),
      fc.constant(() => ({ get message(): never { throw new Error('x'); }, get name(): never { throw new Error('y'); } })),
      fc.constant(() => {
        const loop: Record<string, unknown> = { name: 'Loop' };
        loop['self'] = loop;
        return loop;
      }),
      fc.constant(() => 'x'.repeat(20_000)),
    );

    it('should never throw on any options, and report each problem once', async () => {
      const warn = consoleWarnings();
      await fc.assert(
        fc.asyncProperty(nasty, async (makeOptions) => {
          warn.mockClear();
          const options = makeOptions();
          let monitoring: LiteMonitoring | undefined;
          expect(() => (monitoring = initMonitoring(options as LiteMonitoringOptions))).not.toThrow();
          expect(typeof monitoring?.track).toBe('function');
          expect(() => monitoring!.track('x')).not.toThrow();
          const messages = warn.mock.calls.map(([m]) => String(m));
          expect(new Set(messages).size).toBe(messages.length);
          let plain = false;
          try {
            plain = typeof options === 'object' && options !== null && [Object.prototype, null].includes(Object.getPrototypeOf(options));
          } catch {
            // A revoked proxy: not a plain object.
          }
          if (options !== undefined && !plain) expect(messages.filter((m) => m.includes('options must be a plain object'))).toHaveLength(1);
          await monitoring!.shutdown(50);
          resetLiteMonitoringForTests();
        }),
        { numRuns: 200 },
      );
    });

    it('should never throw on any arguments to any method, and never reject', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(nasty, { minLength: 3, maxLength: 3 }), async (makers) => {
          const { monitoring, warnings } = start({ webVitals: false });
          const [a, b, c] = makers.map((make) => make()) as [never, never, never];
          const results: unknown[] = [];
          // The handle's methods, and the module's, which call them.
          const api = [monitoring, { track, trackDownload, captureException, setRoute, identify }] as const;
          for (const m of api) {
            expect(() => {
              results.push(m.track(a, b));
              results.push(m.trackDownload(a, b, c));
              results.push(m.captureException(a));
              results.push(m.setRoute(a));
              results.push(m.identify(a));
            }).not.toThrow();
          }
          for (const r of results) expect(r === undefined || typeof r === 'string').toBe(true);
          expect(() => monitoring.optIn()).not.toThrow();
          await expect(monitoring.flush(100)).resolves.toEqual(expect.any(Boolean));
          expect(() => monitoring.optOut()).not.toThrow();
          await expect(monitoring.shutdown(50)).resolves.toBeUndefined();
          expect(new Set(codes(warnings)).size).toBe(warnings.length);
          resetLiteMonitoringForTests();
        }),
        { numRuns: 150 },
      );
    });
  });
});
