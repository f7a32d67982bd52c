// A real HTTP receiver on 127.0.0.1 for event batches: it decodes what arrives (OTLP protobuf,
// OTLP JSON, plain JSON; gzip or not), remembers every event it processed, and plays scripted
// faults: error statuses, Retry-After, hanging, resets before reading and after processing, and
// going down and coming back on the same port.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeOtlpLogsJson, decodeOtlpLogsProto } from './otlpDecode.js';
import type { Any, DecodedRecord } from './otlpDecode.js';

/** What the receiver does with one request. */
export type Fault =
  | 'ok'
  | { status: number; retryAfter?: string }
  /** Reads nothing, answers never (until the receiver stops). */
  | 'hang'
  /** Destroys the connection before reading the body: nothing processed. */
  | 'reset-before'
  /** Reads and processes the batch, then destroys the connection: the answer is lost. */
  | 'reset-after';

/** An event as the receiver understood it, whatever the wire format. */
export interface ReceivedEvent {
  id: string;
  name: string;
  timestamp: number;
  sessionId: string;
  userId?: string;
  anonymousId?: string;
  appVersion: string;
  platform: string;
  properties: Record<string, Any>;
}

export interface EventReceiver {
  readonly port: number;
  readonly url: string;
  /** Where clients POST: `<url>/v1/logs`. */
  readonly endpoint: string;
  /** Decides the fault for request number `index` (0-based over the receiver's life). */
  fault: (index: number) => Fault;
  /** Every processed batch, in arrival order (including batches whose answer was lost). */
  readonly batches: ReceivedEvent[][];
  /** Request metadata, in arrival order. */
  readonly requests: Array<{ contentType: string; contentEncoding: string; bytes: number; fault: string }>;
  /** Every processed event, duplicates included, in arrival order. */
  events(): ReceivedEvent[];
  /** Event ids seen more than once. */
  duplicateIds(): string[];
  /** Distinct event ids processed. */
  uniqueIds(): Set<string>;
  /** Resolves once `count` distinct events were processed. */
  waitForUnique(count: number, timeoutMs?: number): Promise<void>;
  /** Closes the port (and every open connection); the receiver is "down". */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

const RESERVED = new Set(['event.id', 'session.id', 'user.id', 'enduser.pseudo.id']);

export function toReceivedEvent(record: DecodedRecord): ReceivedEvent {
  const properties: Record<string, Any> = {};
  for (const [k, v] of Object.entries(record.attributes)) if (!RESERVED.has(k)) properties[k] = v;
  const event: ReceivedEvent = {
    id: String(record.attributes['event.id']),
    name: record.eventName,
    timestamp: Number(record.timeUnixNano / 1_000_000n),
    sessionId: String(record.attributes['session.id']),
    appVersion: String(record.resource['service.version']),
    platform: String(record.resource['lookout.platform']),
    properties,
  };
  if (record.attributes['user.id'] !== undefined) event.userId = String(record.attributes['user.id']);
  if (record.attributes['enduser.pseudo.id'] !== undefined) event.anonymousId = String(record.attributes['enduser.pseudo.id']);
  return event;
}

/** Decodes one request body by its content type and encoding. */
export function decodeBody(raw: Buffer, contentType: string, contentEncoding: string): { events: ReceivedEvent[]; records: DecodedRecord[] } {
  const body = contentEncoding === 'gzip' ? gunzipSync(raw) : raw;
  if (contentType.startsWith('application/x-protobuf')) {
    const records = decodeOtlpLogsProto(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    return { events: records.map(toReceivedEvent), records };
  }
  const text = body.toString('utf8');
  const parsed = JSON.parse(text) as { resourceLogs?: unknown; events?: ReceivedEvent[] };
  if (parsed.resourceLogs !== undefined) {
    const records = decodeOtlpLogsJson(text);
    return { events: records.map(toReceivedEvent), records };
  }
  return { events: parsed.events ?? [], records: [] };
}

export async function startEventReceiver(port = 0): Promise<EventReceiver> {
  const batches: ReceivedEvent[][] = [];
  const requests: EventReceiver['requests'] = [];
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let index = 0;
  let server: Server | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const fault = receiver.fault(index++);
    const contentType = String(req.headers['content-type'] ?? '');
    const contentEncoding = String(req.headers['content-encoding'] ?? '');
    const label = typeof fault === 'string' ? fault : `status ${fault.status}`;
    if (fault === 'hang') {
      requests.push({ contentType, contentEncoding, bytes: 0, fault: label });
      return;
    }
    if (fault === 'reset-before') {
      requests.push({ contentType, contentEncoding, bytes: 0, fault: label });
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      requests.push({ contentType, contentEncoding, bytes: raw.byteLength, fault: label });
      const processed = fault === 'ok' || fault === 'reset-after';
      if (processed) {
        let events: ReceivedEvent[];
        try {
          events = decodeBody(raw, contentType, contentEncoding).events;
        } catch (error) {
          res.writeHead(400).end(String(error));
          return;
        }
        batches.push(events);
        for (const e of events) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
        for (const notify of [...waiters]) notify();
      }
      if (fault === 'reset-after') {
        req.socket.destroy();
        return;
      }
      if (fault === 'ok') {
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{}');
        return;
      }
      const headers: Record<string, string> = { 'access-control-allow-origin': '*' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end();
    });
  };

  const listen = async (p: number): Promise<number> => {
    const s = createServer((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST' }).end();
        return;
      }
      handle(req, res);
    });
    s.keepAliveTimeout = 5_000;
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () => resolve());
    });
    server = s;
    const address = s.address();
    return typeof address === 'object' && address !== null ? address.port : p;
  };

  const boundPort = await listen(port);
  const receiver: EventReceiver = {
    port: boundPort,
    url: `http://127.0.0.1:${boundPort}`,
    endpoint: `http://127.0.0.1:${boundPort}/v1/logs`,
    fault: () => 'ok',
    batches,
    requests,
    events: () => batches.flat(),
    duplicateIds: () => [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    uniqueIds: () => new Set(seen.keys()),
    waitForUnique(count, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (seen.size < count) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out with ${seen.size} of ${count} events`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (server === undefined) await listen(boundPort);
    },
  };
  return receiver;
}
