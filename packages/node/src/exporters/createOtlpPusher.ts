import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import type { PayloadSpool } from '../spool/createPayloadSpool.js';
import type { OtlpMetricsOptions } from '../types.js';
import { createSpoolingSender, type PushOutcome, type SpoolingSender } from './createSpoolingSender.js';

export interface OtlpPusherOptions {
  registry: MetricsRegistry;
  otlp: OtlpMetricsOptions;
  /** Resource attributes (`service.name` …); `OTEL_RESOURCE_ATTRIBUTES` fills what is not given. */
  resource: Record<string, string>;
  /** Environment for `OTEL_EXPORTER_OTLP_*`. */
  env: Record<string, string | undefined>;
  /** Per-request timeout in ms (the exit deadline at exit). */
  timeoutMs: number;
  /** Where undelivered payloads go; the next run sends them first. */
  spool: PayloadSpool | undefined;
  diagnostics: Diagnostics;
}

/**
 * One OTLP/HTTP metrics push of the whole registry (cumulative), whose outcome is known: at exit
 * Lookout pushes through this rather than the SDK's reader (whose failures are only logged), so
 * a push that fails or times out is spooled and sent by the next run. Never throws.
 */
export interface OtlpPusher {
  /** Collects, encodes (protobuf or JSON, as configured) and sends; spools when the receiver cannot take it. */
  push(): Promise<PushOutcome>;
  /** Sends what earlier runs spooled, oldest first. */
  resendSpooled(): Promise<number>;
  /** Aborts requests in flight, spooling them synchronously (exit deadline). */
  abort(): void;
}

/** `@lookout/core/sdk`, the resource and the OTLP serializers, loaded together on first use. */
async function loadOtlp(): Promise<{
  sdk: typeof import('@lookout/core/sdk');
  resources: typeof import('@opentelemetry/resources');
  transformer: typeof import('@opentelemetry/otlp-transformer');
}> {
  const [sdk, resources, transformer] = await Promise.all([import('@lookout/core/sdk'), import('@opentelemetry/resources'), import('@opentelemetry/otlp-transformer')]);
  return { sdk, resources, transformer };
}

export function createOtlpPusher(options: OtlpPusherOptions): OtlpPusher {
  const diag = options.diagnostics;
  let setup: Promise<{ sender: SpoolingSender; encode: () => Promise<Uint8Array | undefined> } | undefined> | undefined;
  let sender: SpoolingSender | undefined;
  const prepare = (): NonNullable<typeof setup> =>
    (setup ??= loadOtlp().then(
      ({ sdk, resources, transformer }) => {
        const env = sdk.parseOtelEnv(options.env, diag);
        const protocol = options.otlp.protocol ?? env.otlpProtocol ?? 'http/protobuf';
        const url = options.otlp.endpoint ?? env.otlpEndpoint ?? sdk.DEFAULT_OTLP_METRICS_ENDPOINT;
        const resource = resources.resourceFromAttributes({ ...env.resourceAttributes, ...options.resource });
        const producer = sdk.createOtelMetricProducer(options.registry, resource, options.timeoutMs);
        const serializer = protocol === 'http/json' ? transformer.JsonMetricsSerializer : transformer.ProtobufMetricsSerializer;
        sender = createSpoolingSender({
          name: 'OTLP',
          url,
          headers: { ...env.otlpHeaders, ...options.otlp.headers, 'content-type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf' },
          timeoutMs: options.timeoutMs,
          spool: options.spool,
          diagnostics: diag,
        });
        const encode = async (): Promise<Uint8Array | undefined> => serializer.serializeRequest((await producer.collect()).resourceMetrics);
        return { sender, encode };
      },
      (error: unknown) => {
        diag.error('otlp.load', `the OTLP exporter could not be loaded: ${(error as Error)?.message ?? String(error)}`, 'otlp.load');
        return undefined;
      },
    ));
  return {
    async push() {
      const s = await prepare();
      if (s === undefined) return 'dropped';
      let body: Uint8Array | undefined;
      try {
        body = await s.encode();
      } catch (error) {
        diag.internalError(error, 'OTLP: encode');
      }
      if (body === undefined) {
        s.sender.stats.dropped++;
        return 'dropped';
      }
      return s.sender.send(body);
    },
    async resendSpooled() {
      if (options.spool === undefined || options.spool.list().length === 0) return 0;
      const s = await prepare();
      return s === undefined ? 0 : s.sender.resendSpooled();
    },
    abort: () => sender?.abort(),
  };
}
