import { hostname as osHostname } from 'node:os';
import { createBatchQueue, getDefaultRegistry, getDiagnostics, observeDeliveryStats } from '@lookout/core';
import type { BatchQueue, BatchQueueOptions, FlushResult } from '@lookout/core';
import { enqueueOrDrop } from '../internal/enqueueOrDrop.js';
import type { SecurityEvent, SecuritySink } from '../types.js';
import {
  DEFAULT_SYSLOG_CONNECT_TIMEOUT_MS,
  DEFAULT_SYSLOG_FLUSH_INTERVAL_MS,
  DEFAULT_SYSLOG_PORT,
  DEFAULT_SYSLOG_STREAM_MAX_BYTES,
  DEFAULT_SYSLOG_TLS_PORT,
  DEFAULT_SYSLOG_UDP_MAX_BYTES,
  resolveSyslogSinkOptions,
} from './config.js';
import type { SyslogSinkOptions } from './config.js';
import { DEFAULT_SD_ID, formatSyslogMessage, SYSLOG_FACILITIES } from './formatSyslogMessage.js';
import type { SyslogFormatOptions } from './formatSyslogMessage.js';
import { makeStreamTransport, makeUdpTransport } from './transports.js';

/** A syslog sink with its delivery queue visible. */
export interface SyslogSink extends SecuritySink {
  readonly queue: BatchQueue<Uint8Array>;
  flush(deadlineMs?: number): Promise<FlushResult>;
  shutdown(deadlineMs?: number): Promise<FlushResult>;
}

/**
 * A sink that sends each event as an RFC 5424 message over UDP (RFC 5426), TCP (RFC 6587,
 * octet-counting framing by default) or TLS (RFC 5425). Messages are formatted when written
 * and delivered through core's `createBatchQueue` (bounded, retried with backoff, circuit
 * breaker, drops counted as `lookout_delivery_*{signal="security_syslog"}`). Sockets are
 * unref'd. Node only.
 */
export function createSyslogSink(options: SyslogSinkOptions = {}): SyslogSink {
  const o = resolveSyslogSinkOptions(options, (options as { diagnostics?: SyslogSinkOptions['diagnostics'] } | undefined)?.diagnostics).options ?? {};
  const diagnostics = o.diagnostics ?? getDiagnostics();
  const protocol = o.protocol ?? 'udp';
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? (protocol === 'tls' ? DEFAULT_SYSLOG_TLS_PORT : DEFAULT_SYSLOG_PORT);
  if (protocol === 'tls' && o.tls?.rejectUnauthorized === false) {
    diagnostics.warn('syslog/tls-unverified', `createSyslogSink: tls.rejectUnauthorized is false: the certificate of ${host}:${port} is not checked, so anyone on the path can read and forge this security log stream; give tls.ca instead`);
  }
  const facility = typeof o.facility === 'number' ? o.facility : SYSLOG_FACILITIES[o.facility ?? 'authpriv'];
  const format: SyslogFormatOptions = {
    facility,
    hostname: o.hostname ?? safeHostname(),
    appName: o.appName ?? 'lookout',
    procId: String(process.pid),
    sdId: o.sdId ?? DEFAULT_SD_ID,
    bom: o.bom ?? false,
    maxBytes: o.maxMessageBytes ?? (protocol === 'udp' ? DEFAULT_SYSLOG_UDP_MAX_BYTES : DEFAULT_SYSLOG_STREAM_MAX_BYTES),
  };
  const transport =
    protocol === 'udp'
      ? makeUdpTransport(host, port)
      : makeStreamTransport({
          host,
          port,
          framing: o.framing ?? 'octet-counting',
          connectTimeoutMs: o.connectTimeoutMs ?? DEFAULT_SYSLOG_CONNECT_TIMEOUT_MS,
          diagnostics,
          ...(protocol === 'tls' ? { tls: o.tls ?? {} } : {}),
        });
  const queueOptions: BatchQueueOptions<Uint8Array> = {
    transport,
    name: 'security-syslog',
    diagnostics,
    flushIntervalMs: o.flushIntervalMs ?? DEFAULT_SYSLOG_FLUSH_INTERVAL_MS,
    sizeOf: (m) => m.length,
    // Every batch is octet-counted frames; the UDP transport splits it back into datagrams.
    encode: (items) => ({ body: Buffer.concat(items.flatMap((m) => [Buffer.from(`${m.length} `), m])), contentType: 'application/syslog' }),
  };
  if (o.maxBatchItems !== undefined) queueOptions.maxBatchItems = o.maxBatchItems;
  if (o.maxQueueItems !== undefined) queueOptions.maxQueueItems = o.maxQueueItems;
  if (o.sendTimeoutMs !== undefined) queueOptions.sendTimeoutMs = o.sendTimeoutMs;
  if (o.retry !== undefined) queueOptions.retry = o.retry;
  if (o.circuit !== undefined) queueOptions.circuit = o.circuit;
  const queue = createBatchQueue<Uint8Array>(queueOptions);
  observeDeliveryStats(queue, 'security_syslog', o.registry ?? getDefaultRegistry());

  return {
    name: 'syslog',
    queue,
    write(event: SecurityEvent) {
      enqueueOrDrop(
        queue,
        formatSyslogMessage(event, format),
        diagnostics,
        'syslog/unformattable',
        'syslog sink: an event cannot be formatted as RFC 5424 (not an event object, or details JSON cannot write, such as a cycle); it was dropped and counted (lookout_delivery_items_dropped_total{signal="security_syslog",reason="invalid"})',
      );
    },
    flush: (deadlineMs) => queue.flush(deadlineMs),
    shutdown: async (deadlineMs) => {
      const result = await queue.shutdown(deadlineMs);
      transport.close();
      return result;
    },
  };
}

function safeHostname(): string {
  try {
    return osHostname();
  } catch {
    return '-';
  }
}
