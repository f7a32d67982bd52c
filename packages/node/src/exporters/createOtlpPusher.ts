import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import type { PushStats } from '../selfMetrics/observeNodeDelivery.js';
import type { PayloadSpool } from '../spool/createPayloadSpool.js';
import type { OtlpMetricsOptions } from '../types.js';
import { createSpoolingSender, type BackgroundOption, type PushOutcome, type SpoolingSender } from './createSpoolingSender.js';
import { parseOtlpExitSnapshot, snapshotToResourceMetrics, takeOtlpExitSnapshot } from './otlpExitSnapshot.js';

export interface OtlpPusherOptions {
  registry: MetricsRegistry;
  otlp: OtlpMetricsOptions;
  /**
   * Resource attributes (`service.name` …), over `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`,
   * which fill what is not given, over the SDK's default resource (`telemetry.sdk.*`), as
   * `startMetricsSdk` has it.
   */
  resource: Record<string, string>;
  /** Environment for `OTEL_EXPORTER_OTLP_*`. */
  env: Record<string, string | undefined>;
  /** Per-request timeout in ms (the exit deadline at exit). */
  timeoutMs: number;
  /** Where undelivered payloads go; the next run sends them first. */
  spool: PayloadSpool | undefined;
  /**
   * Where `spoolAtExit()` keeps registry snapshots (JSON) when the host calls `process.exit()`;
   * the next run encodes and sends them before anything else.
   */
  exitSpool?: PayloadSpool | undefined;
  diagnostics: Diagnostics;
  /** Counts to add to, kept across pushers (see `SpoolingSenderOptions.stats`). */
  stats?: PushStats;
}

/**
 * One OTLP/HTTP metrics push of the whole registry (cumulative), whose outcome is known: at exit
 * Lookout pushes through this rather than the SDK's reader (whose failures are only logged), so
 * a push that fails or times out is spooled and sent by the next run. Never throws.
 */
export interface OtlpPusher {
  /** Collects, encodes (protobuf or JSON, as configured) and sends; spools when the receiver cannot take it. */
  push(): Promise<PushOutcome>;
  /**
   * Sends what earlier runs spooled: first the snapshots of runs that ended with `process.exit()`
   * (encoded now, with their own resource and times), then the encoded payloads, oldest first.
   * One run at a time; `background` as in `SpoolingSender.resendSpooled`.
   */
  resendSpooled(options?: BackgroundOption): Promise<number>;
  /**
   * For the `exit` event after `process.exit()`: reads the registry synchronously and writes the
   * snapshot to the exit spool (bounded by its size); no network, nothing loaded. `false` when
   * there is no exit spool or it could not be written (one diagnostic). Never throws.
   */
  spoolAtExit(): boolean;
  /** Aborts requests in flight, spooling them synchronously, and spools later pushes without a request (exit deadline); also when called before the exporter has loaded. */
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
  let setup: Promise<{ sender: SpoolingSender; encode: () => Promise<Uint8Array | undefined>; encodeSnapshot: (body: Uint8Array) => Uint8Array | undefined } | undefined> | undefined;
  let sender: SpoolingSender | undefined;
  let held = false;
  let aborted = false;
  const prepare = (): NonNullable<typeof setup> =>
    (setup ??= loadOtlp().then(
      ({ sdk, resources, transformer }) => {
        const env = sdk.parseOtelEnv(options.env, diag);
        const protocol = options.otlp.protocol ?? env.otlpProtocol ?? 'http/protobuf';
        const url = options.otlp.endpoint ?? env.otlpEndpoint ?? sdk.DEFAULT_OTLP_METRICS_ENDPOINT;
        // As startMetricsSdk builds it (the SDK's defaults underneath, code beats the environment).
        const resource = sdk.createMetricsResource(resources, { resourceAttributes: options.resource }, env);
        const producer = sdk.createOtelMetricProducer(options.registry, resource, options.timeoutMs);
        const serializer = protocol === 'http/json' ? transformer.JsonMetricsSerializer : transformer.ProtobufMetricsSerializer;
        sender = createSpoolingSender({
          name: 'OTLP',
          url,
          headers: { ...env.otlpHeaders, ...options.otlp.headers, 'content-type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf' },
          timeoutMs: options.timeoutMs,
          spool: options.spool,
          diagnostics: diag,
          ...(options.stats === undefined ? {} : { stats: options.stats }),
        });
        if (held) sender.hold();
        if (aborted) sender.abort();
        const encode = async (): Promise<Uint8Array | undefined> => serializer.serializeRequest((await producer.collect()).resourceMetrics);
        // A snapshot carries the resource of the run that measured it, not this run's.
        const encodeSnapshot = (body: Uint8Array): Uint8Array | undefined => {
          const snapshot = parseOtlpExitSnapshot(body, diag);
          if (snapshot === undefined) return undefined;
          const fromEnv = sdk.parseOtelEnv(snapshot.resourceEnv === undefined ? {} : { OTEL_RESOURCE_ATTRIBUTES: snapshot.resourceEnv }, diag);
          const snapshotResource = sdk.createMetricsResource(resources, { resourceAttributes: snapshot.resource }, fromEnv);
          return serializer.serializeRequest(snapshotToResourceMetrics(snapshot, snapshotResource, sdk.LOOKOUT_SCOPE));
        };
        return { sender, encode, encodeSnapshot };
      },
      (error: unknown) => {
        diag.error('otlp.load', `the OTLP exporter could not be loaded: ${(error as Error)?.message ?? String(error)}`, 'otlp.load');
        return undefined;
      },
    ));
  let resending: Promise<number> | undefined;
  const resend = async (background: boolean): Promise<number> => {
    const snapshots = options.exitSpool?.list() ?? [];
    if (snapshots.length === 0 && (options.spool === undefined || options.spool.list().length === 0)) return 0;
    const s = await prepare();
    if (s === undefined) return 0;
    let sent = 0;
    for (const payload of snapshots) {
      let body: Uint8Array | undefined;
      try {
        body = s.encodeSnapshot(payload.body);
      } catch (error) {
        diag.internalError(error, 'OTLP: encode exit snapshot');
      }
      // Encoded, it is an ordinary payload: sent, or spooled as one when the receiver cannot take it.
      const outcome = body === undefined ? 'dropped' : await s.sender.send(body, { background });
      if (body === undefined) s.sender.stats.dropped++;
      options.exitSpool!.remove(payload.id);
      if (outcome === 'sent') sent++;
      // The receiver cannot take it now: the remaining snapshots wait for a later run.
      if (outcome === 'spooled') return sent;
    }
    return sent + (await s.sender.resendSpooled({ background }));
  };
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
    // One resend at a time: the background resend at start and the push at exit share it, so a payload is never sent twice.
    resendSpooled(resendOptions) {
      const background = resendOptions?.background === true;
      if (!background) {
        held = true;
        sender?.hold();
      }
      return (resending ??= resend(background).finally(() => {
        resending = undefined;
      }));
    },
    spoolAtExit() {
      const spool = options.exitSpool;
      if (spool === undefined) return false;
      const text = takeOtlpExitSnapshot(options.registry, options.resource, options.env['OTEL_RESOURCE_ATTRIBUTES']);
      return text !== undefined && spool.save(text);
    },
    abort() {
      aborted = true;
      sender?.abort();
    },
  };
}
