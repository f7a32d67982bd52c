import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the receiver does with one request. */
export type Fault = 'ok' | 'hang' | 'reset' | { status: number; retryAfter?: string; rateLimits?: string };

/** One envelope item: its header and its payload (JSON-decoded when it is JSON). */
export interface EnvelopeItem {
  header: Record<string, unknown>;
  payload: unknown;
}

/** One decoded envelope. */
export interface ReceivedEnvelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  /** The raw (decompressed) bytes, to check that scrubbed values never left the process. */
  raw: Buffer;
  /** The body as it travelled, before `Content-Encoding` was undone. */
  wire: Buffer;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A Sentry envelope receiver on 127.0.0.1 that decodes what arrives and can play faults. */
export interface SentryReceiver {
  readonly port: number;
  /** `http://KEY@127.0.0.1:PORT/1`. */
  dsn(key?: string): string;
  readonly envelopes: ReceivedEnvelope[];
  /** Every request, with the fault played. */
  readonly requests: { at: number; fault: Fault }[];
  /** Decides the fault of request number `index` (0-based). Default: always `ok`. */
  fault: (index: number) => Fault;
  /** Event payloads (items of type `event`) accepted with a 2xx, in arrival order. */
  events(): Record<string, unknown>[];
  waitForEvents(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** Stops listening (connections are destroyed): "the receiver is down". */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** Parses the envelope wire format: header line, then item header + payload pairs (`length` or newline-delimited). */
export function parseEnvelope(raw: Buffer): { header: Record<string, unknown>; items: EnvelopeItem[] } {
  let offset = 0;
  const readLine = (): string => {
    let end = raw.indexOf(0x0a, offset);
    if (end === -1) end = raw.length;
    const line = raw.subarray(offset, end).toString('utf8');
    offset = end + 1;
    return line;
  };
  const header = JSON.parse(readLine()) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (offset < raw.length) {
    const line = readLine();
    if (line.trim() === '') continue;
    const itemHeader = JSON.parse(line) as Record<string, unknown>;
    let body: Buffer;
    if (typeof itemHeader['length'] === 'number') {
      body = raw.subarray(offset, offset + itemHeader['length']);
      offset += itemHeader['length'] + 1;
    } else {
      let end = raw.indexOf(0x0a, offset);
      if (end === -1) end = raw.length;
      body = raw.subarray(offset, end);
      offset = end + 1;
    }
    let payload: unknown = body;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      // binary attachment
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

export async function startSentryReceiver(port = 0): Promise<SentryReceiver> {
  const envelopes: ReceivedEnvelope[] = [];
  const requests: { at: number; fault: Fault }[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let server: Server | undefined;
  let boundPort = port;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const fault = receiver.fault(requests.length);
    requests.push({ at: Date.now(), fault });
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (fault === 'hang') return;
      const wire = Buffer.concat(chunks);
      // As Sentry's ingestion does: gzip is undone by Content-Encoding; a body that does not
      // decode is a 400, an encoding this receiver does not know a 415.
      const encoding = req.headers['content-encoding'];
      let raw: Buffer;
      try {
        if (encoding === undefined || encoding === '' || encoding === 'identity') raw = wire;
        else if (encoding === 'gzip') raw = gunzipSync(wire);
        else {
          res.writeHead(415, cors).end();
          return;
        }
      } catch {
        res.writeHead(400, cors).end();
        return;
      }
      if (typeof fault === 'object') {
        const headers: Record<string, string> = { ...cors };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        if (fault.rateLimits !== undefined) headers['x-sentry-rate-limits'] = fault.rateLimits;
        res.writeHead(fault.status, headers).end();
        if (fault.status < 200 || fault.status >= 300) return;
      } else {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{}');
      }
      try {
        const { header, items } = parseEnvelope(raw);
        envelopes.push({ header, items, raw, wire, url: req.url ?? '', headers: req.headers });
      } catch {
        // Not an envelope; ignored.
      }
      for (const notify of [...waiters]) notify();
    });
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server = createServer(handle);
      server.keepAliveTimeout = 1000;
      server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        const address = server?.address();
        boundPort = typeof address === 'object' && address !== null ? address.port : boundPort;
        resolve();
      });
    });

  const receiver: SentryReceiver = {
    get port() {
      return boundPort;
    },
    dsn: (key = 'lookoutkey') => `http://${key}@127.0.0.1:${boundPort}/1`,
    envelopes,
    requests,
    fault: () => 'ok',
    events: () => envelopes.flatMap((e) => e.items.filter((i) => i.header['type'] === 'event').map((i) => i.payload as Record<string, unknown>)),
    waitForEvents(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const events = receiver.events();
          if (events.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(events);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${count} events (${receiver.events().length} arrived)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const s = server;
        server = undefined;
        if (s === undefined) {
          resolve();
          return;
        }
        s.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    start: listen,
  };
  await listen();
  return receiver;
}
