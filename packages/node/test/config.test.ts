import fc from 'fast-check';
import { createDiagnostics, LookoutConfigError, type Logger } from '@lookout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeOptionsSchema, resolveNodeOptions, DEFAULT_EXIT_DEADLINE_MS } from '../src/config.js';
import { fastAccepts } from '../src/internal/fastCheck.js';
import { mergeOptions, readEnvOptions } from '../src/env/readEnv.js';

function collecting(): { diag: ReturnType<typeof createDiagnostics>; messages: string[] } {
  const messages: string[] = [];
  const push = (m: string): void => void messages.push(m);
  const logger: Logger = { error: push, warn: push, info: () => {}, debug: () => {} };
  return { diag: createDiagnostics({ logger, level: 'warn', maxPerMinute: 10_000 }), messages };
}

/** Plausible options: mostly valid shapes, sometimes wrong types, unknown keys or bad values. */
const optionsArb = fc.record(
  {
    enabled: fc.oneof(fc.boolean(), fc.constant('yes')),
    serviceName: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(''), fc.integer()),
    profile: fc.constantFrom('development', 'staging', 'production', 'prod'),
    namespace: fc.constantFrom('app', 'cli', '9x', ''),
    metrics: fc.oneof(
      fc.constant(false),
      fc.record(
        {
          prometheus: fc.oneof(fc.constant(false), fc.record({ port: fc.integer({ min: -5, max: 70_000 }), path: fc.constantFrom('/metrics', 'metrics') }, { requiredKeys: [] })),
          pushgateway: fc.record({ url: fc.constantFrom('http://127.0.0.1:9091', 'ftp://x', 'nope'), intervalMs: fc.integer({ min: -1, max: 5 }) }, { requiredKeys: ['url'] }),
          remoteWrite: fc.record({ url: fc.constantFrom('http://a/api/v1/write', ''), externalLabels: fc.dictionary(fc.constantFrom('job', '1bad', 'ok_label'), fc.string({ maxLength: 3 })) }, { requiredKeys: ['url'] }),
          otlp: fc.oneof(fc.boolean(), fc.record({ protocol: fc.constantFrom('http/protobuf', 'grpc') }, { requiredKeys: [] })),
          bogus: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    ),
    runtimeMetrics: fc.oneof(fc.constant(false), fc.record({ eventLoopResolutionMs: fc.integer({ min: 0, max: 2000 }), diskPaths: fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })) }, { requiredKeys: [] })),
    exit: fc.record({ deadlineMs: fc.oneof(fc.integer({ min: -10, max: 70_000 }), fc.double()), signals: fc.boolean() }, { requiredKeys: [] }),
    telemetry: fc.oneof(fc.constant(false), fc.record({ endpoint: fc.constant('http://127.0.0.1:4318/v1/logs') }), fc.constant([])),
    unknownKey: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('resolveNodeOptions', () => {
  describe('defaults', () => {
    it('should fill every default for no options, without a diagnostic', () => {
      const { diag, messages } = collecting();
      const r = resolveNodeOptions(undefined, diag, 'my-cli');
      expect(r.ok).toBe(true);
      expect(r.options.serviceName).toBe('my-cli');
      expect(r.options.exit).toEqual({ deadlineMs: DEFAULT_EXIT_DEADLINE_MS, signals: true });
      expect(r.options.metrics).toMatchObject({ prometheus: false, pushOnExit: true });
      expect(r.options.telemetry).toBe(false);
      expect(messages).toEqual([]);
    });

    it('should call a default service name function only when no valid name is given', () => {
      const { diag } = collecting();
      let calls = 0;
      const fallback = (): string => (calls++, 'from-script');
      expect(resolveNodeOptions({ serviceName: 'svc' }, diag, fallback).options.serviceName).toBe('svc');
      expect(resolveNodeOptions({ serviceName: 'svc', exit: { deadlineMs: -1 } }, diag, fallback).options.serviceName).toBe('svc');
      expect(calls).toBe(0);
      expect(resolveNodeOptions({}, diag, fallback).options.serviceName).toBe('from-script');
      expect(resolveNodeOptions({ serviceName: '' }, diag, fallback).options.serviceName).toBe('from-script');
      expect(calls).toBe(2);
    });

    it('should default the Pushgateway job and the remote-write job label to the service name', () => {
      const { diag } = collecting();
      const r = resolveNodeOptions({ serviceName: 'svc', metrics: { pushgateway: { url: 'http://g:9091' }, remoteWrite: { url: 'http://p/api/v1/write' } } }, diag);
      expect(r.options.metrics && r.options.metrics.pushgateway?.job).toBe('svc');
      expect(r.options.metrics && r.options.metrics.remoteWrite?.externalLabels).toEqual({ job: 'svc' });
    });
  });

  describe('runtimeMetrics', () => {
    it('should take true (the default), false or options, like the other switches', () => {
      const { diag, messages } = collecting();
      expect(resolveNodeOptions({ runtimeMetrics: true }, diag).options.runtimeMetrics).toMatchObject({ gc: true });
      expect(resolveNodeOptions({ runtimeMetrics: false }, diag).options.runtimeMetrics).toBe(false);
      expect(resolveNodeOptions({ runtimeMetrics: { gc: false } }, diag).options.runtimeMetrics).toMatchObject({ gc: false });
      expect(fastAccepts({ runtimeMetrics: true })).toBe(true);
      expect(messages).toEqual([]);
    });
  });

  describe('invalid options', () => {
    it('should report each invalid field once, naming its path, and use its default', () => {
      const { diag, messages } = collecting();
      const r = resolveNodeOptions({ serviceName: 'ok', metrics: { prometheus: { port: 70_000 } }, exit: { deadlineMs: -1 } }, diag);
      expect(r.ok).toBe(false);
      expect(r.options.exit.deadlineMs).toBe(DEFAULT_EXIT_DEADLINE_MS);
      expect(r.options.metrics && r.options.metrics.prometheus).toMatchObject({ port: 9464 });
      expect(messages.filter((m) => m.includes('metrics.prometheus.port'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('exit.deadlineMs'))).toHaveLength(1);
    });

    it('should throw LookoutConfigError with strict: true', () => {
      const { diag } = collecting();
      expect(() => resolveNodeOptions({ strict: true, profile: 'prod' }, diag)).toThrow(LookoutConfigError);
    });
  });

  describe('quick check', () => {
    it('should never accept options the zod schema rejects', () => {
      const schema = nodeOptionsSchema();
      fc.assert(
        fc.property(optionsArb, (input) => {
          if (fastAccepts(input)) expect(schema.safeParse(input).success).toBe(true);
        }),
        { numRuns: 1000 },
      );
    });

    it('should accept well-formed options, so the common start never loads zod', () => {
      expect(fastAccepts({ serviceName: 'x', metrics: { prometheus: { port: 0 }, remoteWrite: { url: 'http://a/w', headers: { a: 'b' } } }, exit: { deadlineMs: 500 } })).toBe(true);
      expect(fastAccepts(undefined)).toBe(true);
    });

    it('should refuse names of Object.prototype, and judge each value again after its check was made', () => {
      for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) expect(fastAccepts(JSON.parse(`{"${key}": {}}`)), key).toBe(false);
      expect(fastAccepts({ exit: { deadlineMs: 10 } })).toBe(true);
      expect(fastAccepts({ exit: { deadlineMs: -10 } })).toBe(false);
      expect(fastAccepts({ exit: { deadlineMs: 20 } })).toBe(true);
    });
  });
});

describe('readEnvOptions', () => {
  describe('LOOKOUT_* and OTEL_*', () => {
    it('should read backends, names and limits from the environment', () => {
      const { diag, messages } = collecting();
      const o = readEnvOptions(
        {
          OTEL_SERVICE_NAME: 'from-otel',
          OTEL_METRICS_EXPORTER: 'otlp,prometheus',
          LOOKOUT_PROMETHEUS_PORT: '9470',
          LOOKOUT_PUSHGATEWAY_URL: 'http://g:9091',
          LOOKOUT_REMOTE_WRITE_URL: 'http://p:9090/api/v1/write',
          LOOKOUT_REMOTE_WRITE_HEADERS: 'authorization=Bearer%20t,x-scope-orgid=7',
          LOOKOUT_EXIT_DEADLINE_MS: '750',
          LOOKOUT_LOG_LEVEL: 'debug',
          LOOKOUT_DISK_PATHS: 'data=/var/lib/x',
        },
        diag,
      );
      expect(messages).toEqual([]);
      expect(o).toMatchObject({
        serviceName: 'from-otel',
        diagnostics: { level: 'debug' },
        metrics: {
          prometheus: { port: 9470 },
          pushgateway: { url: 'http://g:9091' },
          remoteWrite: { url: 'http://p:9090/api/v1/write', headers: { authorization: 'Bearer t', 'x-scope-orgid': '7' } },
          otlp: true,
        },
        exit: { deadlineMs: 750 },
        runtimeMetrics: { diskPaths: { data: '/var/lib/x' } },
      });
    });

    it('should warn once per bad variable, naming it, and never echo a secret', () => {
      const { diag, messages } = collecting();
      const o = readEnvOptions({ LOOKOUT_PROMETHEUS_PORT: 'ninety', LOOKOUT_REMOTE_WRITE_URL: 'secret-token-123', LOOKOUT_DISABLED: 'maybe' }, diag);
      expect(o.metrics).toBeUndefined();
      expect(messages).toHaveLength(3);
      expect(messages.join('\n')).toContain('LOOKOUT_PROMETHEUS_PORT');
      expect(messages.join('\n')).not.toContain('secret-token-123');
    });

    it('should turn everything off with OTEL_SDK_DISABLED or LOOKOUT_DISABLED', () => {
      const { diag } = collecting();
      expect(readEnvOptions({ OTEL_SDK_DISABLED: 'true' }, diag).enabled).toBe(false);
      expect(readEnvOptions({ LOOKOUT_DISABLED: '1' }, diag).enabled).toBe(false);
    });
  });

  describe('process.env', () => {
    const ours = (name: string): boolean => /^(LOOKOUT_|OTEL_|SENTRY_DSN$)/i.test(name);
    let saved: Record<string, string | undefined> = {};
    beforeEach(() => {
      saved = Object.fromEntries(Object.entries(process.env).filter(([name]) => ours(name)));
      for (const name of Object.keys(saved)) delete process.env[name];
    });
    afterEach(() => {
      for (const name of Object.keys(process.env)) if (ours(name)) delete process.env[name];
      Object.assign(process.env, saved);
    });

    it('should read nothing, and warn about nothing, when none of its variables is set', () => {
      const { diag, messages } = collecting();
      process.env.LOOKOUT = 'x';
      process.env.OTEL = 'x';
      process.env.SENTRY_DSN_BACKUP = 'x';
      try {
        expect(readEnvOptions(process.env, diag)).toEqual({});
      } finally {
        delete process.env.LOOKOUT;
        delete process.env.OTEL;
        delete process.env.SENTRY_DSN_BACKUP;
      }
      expect(messages).toEqual([]);
    });

    it('should read its variables from process.env as from any object, bad values included', () => {
      const { diag, messages } = collecting();
      Object.assign(process.env, { OTEL_SERVICE_NAME: 'from-otel', LOOKOUT_PROFILE: 'staging', SENTRY_DSN: 'https://k@sentry.example/1', LOOKOUT_EXIT_DEADLINE_MS: 'soon' });
      expect(readEnvOptions(process.env, diag)).toEqual({ serviceName: 'from-otel', profile: 'staging', errors: { dsn: 'https://k@sentry.example/1' } });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('LOOKOUT_EXIT_DEADLINE_MS');
    });
  });

  describe('mergeOptions', () => {
    it('should let explicit options win, merging object parts one level deep', () => {
      const merged = mergeOptions({ metrics: { pushgateway: { url: 'http://g' } }, exit: { deadlineMs: 100 } }, { metrics: { prometheus: { port: 1 } }, exit: { deadlineMs: 200 } });
      expect(merged).toEqual({ metrics: { pushgateway: { url: 'http://g' }, prometheus: { port: 1 } }, exit: { deadlineMs: 200 } });
      expect(mergeOptions({ metrics: { prometheus: {} } }, { metrics: false })).toEqual({ metrics: false });
    });
  });
});
