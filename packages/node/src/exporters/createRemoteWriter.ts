import type { Diagnostics } from '@lookout/core';
import { parseExposition } from '../exposition/parseExposition.js';
import type { PushStats } from '../selfMetrics/observeNodeDelivery.js';
import type { PayloadSpool } from '../spool/createPayloadSpool.js';
import { createSpoolingSender, type BackgroundOption, type PushOutcome } from './createSpoolingSender.js';
import { snappyEncode } from './snappy.js';
import { encodeWriteRequest, type RemoteWriteMetadata, type RemoteWriteSeries } from './writeRequest.js';

export type { PushOutcome };

export interface RemoteWriterOptions {
  url: string;
  headers: Record<string, string>;
  externalLabels: Record<string, string>;
  timeoutMs: number;
  spool: PayloadSpool | undefined;
  diagnostics: Diagnostics;
  /** Counts to add to, kept across writers (see `SpoolingSenderOptions.stats`). */
  stats?: PushStats;
}

/** Pushes metrics with Prometheus remote write 1.0. Never throws; promises never reject. */
export interface RemoteWriter {
  /** Encodes an exposition (all its samples at `timestampMs`) and sends it; spools it when the receiver cannot be reached. */
  push(exposition: string, timestampMs?: number): Promise<PushOutcome>;
  /** Sends what earlier runs spooled, oldest first, one run at a time (see `SpoolingSender.resendSpooled`). Returns how many were sent. */
  resendSpooled(options?: BackgroundOption): Promise<number>;
  /** Aborts requests in flight, spooling their payloads synchronously first, and spools later pushes without a request (exit deadline). */
  abort(): void;
  /** Whether a request is in flight. */
  readonly busy: boolean;
  readonly stats: PushStats;
}

export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'lookout-node/0.1.0',
});

/** Turns exposition text into remote-write series (one sample each) and family metadata. */
export function expositionToWriteRequest(
  exposition: string,
  externalLabels: Record<string, string>,
  timestampMs: number,
): { series: RemoteWriteSeries[]; metadata: RemoteWriteMetadata[] } {
  const series: RemoteWriteSeries[] = [];
  const metadata: RemoteWriteMetadata[] = [];
  const external = Object.entries(externalLabels);
  for (const family of parseExposition(exposition)) {
    metadata.push({ type: family.type, family: family.name, help: family.help });
    for (const s of family.samples) {
      const labels: [string, string][] = [['__name__', s.name], ...s.labels];
      for (const [k, v] of external) if (!s.labels.some(([name]) => name === k)) labels.push([k, v]);
      series.push({ labels, samples: [{ value: s.value, timestampMs }] });
    }
  }
  return { series, metadata };
}

export function createRemoteWriter(options: RemoteWriterOptions): RemoteWriter {
  const { diagnostics: diag } = options;
  const sender = createSpoolingSender({
    name: 'remote write',
    url: options.url,
    headers: { ...REMOTE_WRITE_HEADERS, ...options.headers },
    timeoutMs: options.timeoutMs,
    spool: options.spool,
    diagnostics: diag,
    ...(options.stats === undefined ? {} : { stats: options.stats }),
  });
  return {
    get stats() {
      return sender.stats;
    },
    get busy() {
      return sender.busy;
    },
    async push(exposition, timestampMs = Date.now()) {
      let body: Uint8Array;
      try {
        body = encodeRemoteWrite(exposition, options.externalLabels, timestampMs);
      } catch (error) {
        diag.internalError(error, 'remote write: encode');
        sender.stats.dropped++;
        return 'dropped';
      }
      return sender.send(body);
    },
    resendSpooled: (resendOptions) => sender.resendSpooled(resendOptions),
    abort: () => sender.abort(),
  };
}

/** An exposition as a remote-write request body (protobuf, snappy-compressed); synchronous, so it can run in an `exit` handler. */
export function encodeRemoteWrite(exposition: string, externalLabels: Record<string, string>, timestampMs: number): Uint8Array {
  const { series, metadata } = expositionToWriteRequest(exposition, externalLabels, timestampMs);
  return snappyEncode(encodeWriteRequest(series, metadata));
}
