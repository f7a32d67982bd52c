import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createRedactor, getDefaultRegistry, getDiagnostics, LookoutConfigError, safeString } from '@lookout/core';
import type { Diagnostics, MetricsRegistry } from '@lookout/core';
import { resolveViewerOptions, viewerOptionsSchema, type ResolvedViewerOptions, type ViewerOptions } from '../config.js';
import { decodeLogsJson, decodeLogsProto, decodeMetricsJson, decodeMetricsProto, isOtlpLogsJson, isOtlpMetricsJson } from '../ingest/decodeOtlp.js';
import { mapOtlpLogs, mapSentryEnvelope, mapTelemetryEvents, sourceOfResource, type MappedRecords } from '../ingest/mapRecords.js';
import { ExternalMetrics } from '../metrics/ExternalMetrics.js';
import { buildMetricsFrame, MetricsCollector } from '../metrics/MetricsCollector.js';
import { readRegistry } from '../metrics/readRegistry.js';
import type { RawSeries, SeriesPoint } from '../metrics/types.js';
import { VIEWER_HTML } from '../page/html.js';
import { VIEWER_SCRIPT } from '../page/script.js';
import { VIEWER_STYLE } from '../page/style.js';
import { fromErrorRecord, fromSecurityEvent, normalisePublishInput, type RecordDraft, type RecordIssue } from '../records/normaliseRecord.js';
import { matchesRecord, parseFilter, ALL_SIGNALS, type StreamFilter } from '../stream/filter.js';
import { Hub } from '../stream/Hub.js';
import { SseStream } from '../stream/SseStream.js';
import type { ErrorRecordLike, PublishInput, SecurityEventLike, Viewer, ViewerStats } from '../types.js';
import { countViewerDrops } from './dropsMetric.js';
import { allowedHosts, generateToken, isLoopbackOrigin, tokenEquals, tokenOf } from './guard.js';
import { BodyError, readBody } from './readBody.js';

/** How often an idle stream gets a comment line, so nothing between times it out. */
const PING_INTERVAL_MS = 15_000;
/** How long a page waits before it reopens a stream that ended. */
const STREAM_RETRY_MS = 2000;
const SENTRY_ENVELOPE_PATH = /^\/api\/\d+\/envelope\/?$/;
const INGEST_PATHS = new Set(['/v1/logs', '/v1/metrics', '/ingest']);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Starts the live viewer: a page on 127.0.0.1 that shows, as they happen, the metrics of
 * `registry` (rates, gauges, p50/p95/p99), records published through `viewer.publish()` and
 * the sinks, and what other processes and pages send (OTLP/HTTP logs and metrics, beacons,
 * Sentry envelopes). Open `viewer.url`: it carries the random token every request needs.
 *
 * For development only. Binds loopback only, answers only to loopback `Host` names, refuses
 * foreign `Origin`s on everything that reads, and never keeps the process alive (server, its
 * connections, open pages' streams included, and timers are `unref`ed). Never throws (unless `strict`); a port in use makes `ready` resolve false.
 */
export function startViewer(options?: ViewerOptions): Viewer {
  const resolved = resolveViewerOptions(options);
  const o = resolved.options ?? viewerOptionsSchema.parse({});
  try {
    return new ViewerServer(o).handle();
  } catch (error) {
    if (error instanceof LookoutConfigError) throw error;
    (o.diagnostics ?? getDiagnostics()).internalError(error, 'startViewer');
    return closedViewer(o);
  }
}

class ViewerServer {
  private readonly _diag: Diagnostics;
  private readonly _registry: MetricsRegistry;
  private readonly _token: string;
  private readonly _hub: Hub;
  private readonly _external: ExternalMetrics;
  private readonly _collector = new MetricsCollector();
  private readonly _allowedOrigins: ReadonlySet<string>;
  private _server: Server | undefined;
  private _port: number;
  private _hosts: Set<string>;
  private _points: SeriesPoint[] = [];
  private _pointsTime = 0;
  private _seriesCount = 0;
  private _collecting = false;
  private _streamIds = 0;
  private _invalid = 0;
  private _refused = 0;
  private _droppedClosed = 0;
  private _closed: Promise<void> | undefined;
  private readonly _timers: ReturnType<typeof setInterval>[] = [];
  /** Set once listening (a viewer that could not listen does not count): takes this viewer out of `lookout.viewer.records.dropped`. */
  private _stopCountingDrops: (() => void) | undefined;
  readonly ready: Promise<boolean>;

  constructor(private readonly _o: ResolvedViewerOptions) {
    this._diag = _o.diagnostics ?? getDiagnostics();
    this._registry = (_o.registry as MetricsRegistry | undefined) ?? getDefaultRegistry();
    // The default registry records nothing until a reader attaches: the viewer is one.
    this._registry.enable();
    this._token = _o.token ?? generateToken();
    this._hub = new Hub(_o.historySize, _o.maxRecordsPerSecond, _o.redact ? createRedactor({ diagnostics: this._diag }) : undefined, Date.now);
    this._external = new ExternalMetrics(_o.maxExternalSeries, _o.maxExternalBytes);
    this._allowedOrigins = new Set(_o.allowedOrigins);
    this._port = _o.port;
    this._hosts = allowedHosts(_o.port);
    this.ready = this._listen();
  }

  handle(): Viewer {
    const self = this;
    const hostForUrl = this._o.host === '::1' ? '[::1]' : this._o.host;
    const origin = (): string => `http://${hostForUrl}:${self._port}`;
    return {
      get url() {
        return `${origin()}/?token=${self._token}`;
      },
      get origin() {
        return origin();
      },
      get port() {
        return self._port;
      },
      token: this._token,
      get endpoints() {
        const q = `?token=${self._token}`;
        return {
          otlpLogs: `${origin()}/v1/logs${q}`,
          otlpMetrics: `${origin()}/v1/metrics${q}`,
          ingest: `${origin()}/ingest${q}`,
          sentryDsn: `http://${self._token}@${hostForUrl}:${self._port}/1`,
        };
      },
      ready: this.ready,
      publish: (record: PublishInput) => this._publishInput(record),
      errorSink: () => ({
        name: '@lookout/viewer:errors',
        capture: (record: ErrorRecordLike) => this._publishResult(safeCall(() => fromErrorRecord(record, this._o.sourceName, Date.now())), 'errorSink'),
      }),
      securitySink: () => ({
        name: '@lookout/viewer:security',
        write: (event: SecurityEventLike) => this._publishResult(safeCall(() => fromSecurityEvent(event, this._o.sourceName, Date.now())), 'securitySink'),
      }),
      stats: () => this.stats(),
      close: () => this.close(),
    };
  }

  stats(): ViewerStats {
    let dropped = this._droppedClosed;
    const streams = [];
    for (const s of this._hub.streams) {
      dropped += s.dropped;
      streams.push(s.stats());
    }
    return { received: this._hub.received, sampled: this._hub.sampled, invalid: this._invalid, dropped, refused: this._refused, series: this._seriesCount, streams };
  }

  close(): Promise<void> {
    return (this._closed ??= this._close());
  }

  private async _close(): Promise<void> {
    for (const t of this._timers) clearInterval(t);
    this._timers.length = 0;
    this._stopCountingDrops?.();
    this._stopCountingDrops = undefined;
    for (const s of this._hub.streams) s.close();
    this._hub.streams.clear();
    const server = this._server;
    if (server === undefined) return;
    // Not listening yet: the listen callback sees `_closed`, closes the server and resolves
    // `ready` false once it is closed.
    if (!server.listening) await this.ready;
    if (!server.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  }

  // ------------------------------------------------------------------ publishing

  private _publishInput(input: unknown): void {
    if (this._closed !== undefined) return;
    this._publishResult(safeCall(() => normalisePublishInput(input, this._o.sourceName, Date.now())), 'publish');
  }

  /** Publishes what a request mapped to; counts what it could not, with one diagnostic per kind of issue. */
  private _publishMapped(mapped: MappedRecords, via: string): MappedRecords {
    for (const r of mapped.records) this._hub.publish(r);
    if (mapped.invalid > 0) {
      this._invalid += mapped.invalid;
      const issue = mapped.issue ?? { path: '(record)', message: 'could not be read' };
      this._diag.warn('viewer.record-invalid', `viewer.${via}: ${issue.path}: ${issue.message}; ${mapped.invalid} record(s) dropped`, `viewer.${via}\u0000${issue.path}`);
    }
    return mapped;
  }

  private _publishResult(result: { ok: true; record: RecordDraft } | { ok: false; issue: RecordIssue }, via: string): void {
    if (this._closed !== undefined) return;
    try {
      if (result.ok) {
        this._hub.publish(result.record);
        return;
      }
      this._invalid++;
      this._diag.warn('viewer.record-invalid', `viewer.${via}: ${result.issue.path}: ${result.issue.message}; record dropped`, `viewer.${via}\u0000${result.issue.path}`);
    } catch (error) {
      this._diag.internalError(error, `viewer.${via}`);
    }
  }

  // ------------------------------------------------------------------ server

  private _listen(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      try {
        const server = createServer((req, res) => {
          this._route(req, res).catch((error: unknown) => {
            this._diag.internalError(error, 'viewer request');
            if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS).end();
            else res.end();
          });
        });
        this._server = server;
        // Accepted sockets are handles too: an open page's stream (and its reconnects) must not
        // keep a host whose work is done from exiting.
        server.on('connection', (socket: Socket) => socket.unref());
        server.on('error', (error: NodeJS.ErrnoException) => {
          this._diag.error(
            'viewer.listen',
            error.code === 'EADDRINUSE'
              ? `cannot serve the viewer on ${this._o.host}:${this._o.port}: the port is in use; choose another port (option "port", 0 for any)`
              : `cannot serve the viewer on ${this._o.host}:${this._o.port}: ${error.message}`,
            `${this._o.host}:${this._o.port}`,
          );
          resolve(false);
        });
        server.listen(this._o.port, this._o.host, () => {
          if (this._closed !== undefined) {
            // close() came before the port was bound: stop here, start nothing.
            server.close(() => resolve(false));
            return;
          }
          const address = server.address();
          if (address !== null && typeof address === 'object') this._port = address.port;
          this._hosts = allowedHosts(this._port);
          this._registerSelfMetric();
          this._startTimers();
          resolve(true);
        });
        server.unref();
      } catch (error) {
        this._diag.internalError(error, 'startViewer listen');
        resolve(false);
      }
    });
  }

  private _registerSelfMetric(): void {
    try {
      this._stopCountingDrops = countViewerDrops(this._registry, () => {
        const s = this.stats();
        return { sampled: s.sampled, slow_stream: s.dropped, invalid: s.invalid, series_limit: this._external.dropped };
      });
    } catch (error) {
      this._diag.internalError(error, 'viewer: registering lookout.viewer.records.dropped');
    }
  }

  private _startTimers(): void {
    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(() => {
        try {
          fn();
        } catch (error) {
          this._diag.internalError(error, 'viewer timer');
        }
      }, ms);
      t.unref();
      this._timers.push(t);
    };
    every(this._o.flushIntervalMs, () => {
      for (const s of this._hub.streams) s.flush();
    });
    every(this._o.metricsIntervalMs, () => {
      if (this._hub.streams.size === 0) {
        // Nobody is watching: no reads at all, and rates start afresh for the next page.
        this._collector.clear();
        return;
      }
      void this._collect();
    });
    every(PING_INTERVAL_MS, () => {
      for (const s of this._hub.streams) s.ping();
    });
  }

  private async _route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://viewer.invalid');
    const path = url.pathname;
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!this._hosts.has(host)) return this._refuse(res, 403, 'this Host is not allowed: open the viewer through 127.0.0.1 or localhost');
    const method = req.method ?? 'GET';

    if (method === 'GET' && path === '/assets/viewer.js') return sendText(res, 200, 'text/javascript; charset=utf-8', VIEWER_SCRIPT);
    if (method === 'GET' && path === '/assets/viewer.css') return sendText(res, 200, 'text/css; charset=utf-8', VIEWER_STYLE);

    const isIngest = INGEST_PATHS.has(path) || SENTRY_ENVELOPE_PATH.test(path);
    const origin = req.headers.origin;
    const ownOrigin = `http://${host}`;
    if (isIngest) {
      if (origin !== undefined && origin !== ownOrigin && !isLoopbackOrigin(origin) && !this._allowedOrigins.has(origin)) {
        return this._refuse(res, 403, 'this Origin may not post to the viewer (option "allowedOrigins")');
      }
      if (origin !== undefined) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'Origin');
      }
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'content-type, content-encoding, authorization, x-lookout-token, x-sentry-auth',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    } else {
      // Reading is for the viewer's own page only: no other origin, not even another local one.
      if (origin !== undefined && origin !== ownOrigin) return this._refuse(res, 403, 'cross-origin requests may not read the viewer');
      const site = req.headers['sec-fetch-site'];
      if (path !== '/' && (site === 'cross-site' || site === 'same-site')) return this._refuse(res, 403, 'cross-site requests may not read the viewer');
    }

    if (!tokenEquals(tokenOf(req, url.searchParams), this._token)) {
      if (method === 'GET' && path === '/') {
        this._refused++;
        return sendText(res, 401, 'text/html; charset=utf-8', UNAUTHORISED_PAGE);
      }
      return this._refuse(res, 401, 'a valid token is needed (?token=, Authorization: Bearer or x-lookout-token)');
    }

    if (isIngest) {
      if (method !== 'POST') return sendText(res, 405, 'text/plain; charset=utf-8', 'POST only\n', { allow: 'POST, OPTIONS' });
      return this._ingest(req, res, path, url.searchParams);
    }
    if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'text/plain; charset=utf-8', 'GET only\n', { allow: 'GET, HEAD' });
    if (path === '/' || path === '/index.html') return sendText(res, 200, 'text/html; charset=utf-8', VIEWER_HTML, { 'content-security-policy': PAGE_CSP, 'x-frame-options': 'DENY' });
    if (path === '/stream') {
      // A probe: the headers a stream would get, no body and no stream (Node sends nothing for a HEAD it is told to stream).
      if (method === 'HEAD') return sendText(res, 200, 'text/event-stream; charset=utf-8', '');
      return this._openStream(req, res, url.searchParams);
    }
    if (path === '/api/snapshot') return this._snapshot(res, url.searchParams);
    return sendText(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  private _refuse(res: ServerResponse, status: number, message: string): void {
    this._refused++;
    sendText(res, status, 'text/plain; charset=utf-8', `lookout viewer: ${message}\n`);
  }

  // ------------------------------------------------------------------ streams

  private _openStream(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    if (this._hub.streams.size >= this._o.maxStreams) {
      return sendText(res, 503, 'text/plain; charset=utf-8', `lookout viewer: at most ${this._o.maxStreams} streams at once\n`, { 'retry-after': '5' });
    }
    const filter = parseFilter(query);
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    req.socket.setNoDelay(true);
    const stream = new SseStream(++this._streamIds, filter, res, this._o.streamBufferBytes);
    stream.retry(STREAM_RETRY_MS);
    this._hub.streams.add(stream);
    const limits = {
      maxSeries: this._o.maxSeries,
      maxRecordsPerSecond: this._o.maxRecordsPerSecond,
      metricsIntervalMs: this._o.metricsIntervalMs,
      historySize: this._o.historySize,
      streamBufferBytes: this._o.streamBufferBytes,
    };
    stream.send('hello', JSON.stringify({ stream: stream.id, filter: filter.text, signals: [...filter.signals], allSignals: ALL_SIGNALS, limits, source: this._o.sourceName, serverTime: Date.now() }));
    for (const json of this._hub.history((r) => matchesRecord(filter, r))) stream.pushRecord(json);
    stream.flush();
    if (this._pointsTime > 0) stream.replace('metrics', this._metricsJson(filter, this._pointsTime));
    stream.replace('status', this._statusJson(stream.dropped));
    if (this._pointsTime === 0 || Date.now() - this._pointsTime > this._o.metricsIntervalMs) void this._collect();
    const done = (): void => {
      if (!this._hub.streams.delete(stream)) return;
      this._droppedClosed += stream.dropped;
      stream.close();
    };
    req.on('close', done);
    res.on('close', done);
    res.on('error', done);
  }

  private async _collect(): Promise<void> {
    if (this._collecting || this._closed !== undefined) return;
    this._collecting = true;
    try {
      await this._registry.prepareCollection();
      const raws: RawSeries[] = [];
      readRegistry(this._registry, this._o.sourceName, (s) => raws.push(s), (error, name) => this._diag.internalError(error, `viewer: reading ${name}`));
      this._external.forEach((s) => raws.push(s));
      const now = Date.now();
      this._points = this._collector.update(raws, now);
      this._pointsTime = now;
      this._seriesCount = raws.length;
      for (const stream of this._hub.streams) stream.replace('metrics', this._metricsJson(stream.filter, now));
      const shared = this._statusJson(0);
      for (const stream of this._hub.streams) stream.replace('status', `{"dropped":${stream.dropped},${shared.slice(shared.indexOf(',') + 1)}`);
    } catch (error) {
      this._diag.internalError(error, 'viewer: collecting metrics');
    } finally {
      this._collecting = false;
    }
  }

  /**
   * The metrics message for a stream. One that would take more than half of what a stream may
   * hold is built again with each metric aggregated over its labels, with the series limit
   * scaled down to what fits; one still too large is dropped (and counted) by the stream.
   */
  private _metricsJson(filter: StreamFilter, time: number): string {
    const frame = buildMetricsFrame(this._points, filter, this._o.maxSeries, time, this._o.metricsIntervalMs);
    const json = JSON.stringify(frame);
    const budget = this._o.streamBufferBytes / 2;
    const bytes = Buffer.byteLength(json);
    if (bytes <= budget) return json;
    const shown = Math.floor(frame.totalSeries * (budget / bytes));
    return JSON.stringify(buildMetricsFrame(this._points, filter, shown, time, this._o.metricsIntervalMs));
  }

  /** The status message: this stream's drops, load, totals by name, series count. */
  private _statusJson(dropped: number): string {
    return JSON.stringify({
      dropped,
      load: this._hub.figures(),
      totals: this._hub.totals(),
      series: this._seriesCount,
      maxSeries: this._o.maxSeries,
      externalDropped: this._external.dropped,
      streams: this._hub.streams.size,
      time: Date.now(),
    });
  }

  private _snapshot(res: ServerResponse, query: URLSearchParams): void {
    const filter = parseFilter(query);
    const body = JSON.stringify({
      records: this._hub.records().filter((r) => matchesRecord(filter, r)),
      metrics: buildMetricsFrame(this._points, filter, this._o.maxSeries, this._pointsTime, this._o.metricsIntervalMs),
      stats: this.stats(),
    });
    sendText(res, 200, 'application/json; charset=utf-8', body);
  }

  // ------------------------------------------------------------------ ingest

  private async _ingest(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    let body: Uint8Array;
    try {
      body = await readBody(req, this._o.maxBodyBytes);
    } catch (error) {
      const status = error instanceof BodyError ? error.status : 400;
      return sendText(res, status, 'text/plain; charset=utf-8', `lookout viewer: ${error instanceof Error ? error.message : 'cannot read the body'}\n`);
    }
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const now = Date.now();
    const source = query.get('source') ?? undefined;
    try {
      if (SENTRY_ENVELOPE_PATH.test(path)) {
        this._publishMapped(mapSentryEnvelope(body, now), 'sentry');
        return sendText(res, 200, 'application/json', '{}');
      }
      if (contentType === 'application/x-protobuf' || contentType === 'application/protobuf') {
        if (path === '/v1/metrics') this._external.add(decodeMetricsProto(body), sourceOfResource, now);
        else this._publishMapped(mapOtlpLogs(decodeLogsProto(body), now), 'otlp');
        // An empty Export*ServiceResponse: full success.
        return sendBytes(res, 200, 'application/x-protobuf', new Uint8Array(0));
      }
      const json = JSON.parse(new TextDecoder().decode(body)) as unknown;
      if (isOtlpMetricsJson(json)) {
        this._external.add(decodeMetricsJson(json), sourceOfResource, now);
        return sendText(res, 200, 'application/json', '{}');
      }
      if (isOtlpLogsJson(json)) {
        this._publishMapped(mapOtlpLogs(decodeLogsJson(json), now), 'otlp');
        return sendText(res, 200, 'application/json', '{}');
      }
      const events = (json as { events?: unknown }).events;
      if (Array.isArray(events)) {
        const { records, invalid } = this._publishMapped(mapTelemetryEvents(events, source, now), 'telemetry');
        return sendText(res, 200, 'application/json', JSON.stringify({ accepted: records.length, invalid }));
      }
      const list = Array.isArray(json) ? json : (json as { records?: unknown }).records;
      if (Array.isArray(list)) {
        // A page's beacon never reads the answer: what is refused also gets the diagnostic every ingest path gives.
        const mapped: MappedRecords = { records: [], invalid: 0 };
        const issues: string[] = [];
        for (const item of list) {
          const result = normalisePublishInput(item, source ?? 'beacon', now);
          if (result.ok) mapped.records.push(result.record);
          else {
            mapped.invalid++;
            mapped.issue ??= result.issue;
            if (issues.length < 5) issues.push(`${result.issue.path}: ${result.issue.message}`);
          }
        }
        this._publishMapped(mapped, 'beacon');
        return sendText(res, 200, 'application/json', JSON.stringify({ accepted: mapped.records.length, invalid: mapped.invalid, issues }));
      }
      return sendText(res, 400, 'text/plain; charset=utf-8', 'lookout viewer: unknown body: expected OTLP logs or metrics, {"events":[…]} or {"records":[…]}\n');
    } catch (error) {
      this._invalid++;
      return sendText(res, 400, 'text/plain; charset=utf-8', `lookout viewer: cannot decode the body: ${safeString(error instanceof Error ? error.message : error).slice(0, 200)}\n`);
    }
  }
}

function safeCall<T extends { ok: boolean }>(fn: () => T): T | { ok: false; issue: RecordIssue } {
  try {
    return fn();
  } catch {
    return { ok: false, issue: { path: '(record)', message: 'could not be read' } };
  }
}

function sendText(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendBytes(res: ServerResponse, status: number, contentType: string, body: Uint8Array): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': body.byteLength });
  res.end(body);
}

const UNAUTHORISED_PAGE = `<!doctype html><meta charset="utf-8"><title>Lookout viewer</title>
<p>This viewer needs its token. Open the full URL that was printed when it started (it ends with <code>?token=…</code>).</p>\n`;

/** What `startViewer` returns when it could not even be set up: every call is a no-op. */
function closedViewer(o: ResolvedViewerOptions): Viewer {
  const origin = `http://${o.host}:${o.port}`;
  return {
    url: origin,
    origin,
    port: o.port,
    token: '',
    endpoints: { otlpLogs: '', otlpMetrics: '', ingest: '', sentryDsn: '' },
    ready: Promise.resolve(false),
    publish: () => {},
    errorSink: () => ({ name: '@lookout/viewer:errors', capture: () => {} }),
    securitySink: () => ({ name: '@lookout/viewer:security', write: () => {} }),
    stats: () => ({ received: 0, sampled: 0, invalid: 0, dropped: 0, refused: 0, series: 0, streams: [] }),
    close: () => Promise.resolve(),
  };
}
