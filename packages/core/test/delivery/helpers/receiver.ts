import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one request. */
export type Reply =
  | { status: number; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true };

/** One request the receiver saw. */
export interface Received {
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
  /** `ids` of the JSON array body, when it is one. */
  ids: string[];
  reply: Reply;
}

/**
 * A real HTTP receiver on 127.0.0.1 whose replies a test scripts per request. It can be stopped
 * and started again on the same port to play a receiver that goes down and comes back.
 */
export interface TestReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: Received[];
  /** Ids of every request answered 2xx, in arrival order. */
  readonly delivered: string[];
  /** Most requests seen in flight at once. */
  readonly maxConcurrent: number;
  /** Decides the reply to the next request; the default answers 200. */
  reply: (index: number, request: IncomingMessage) => Reply;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts a receiver; pass `port` to reuse one that an earlier receiver held. */
export async function startReceiver(port = 0): Promise<TestReceiver> {
  const requests: Received[] = [];
  const delivered: string[] = [];
  let inFlight = 0;
  let maxConcurrent = 0;
  let server: Server | undefined;
  let boundPort = port;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    let finished = false;
    const finish = (): void => {
      if (!finished) {
        finished = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let ids: string[] = [];
      try {
        const parsed: unknown = JSON.parse(body);
        if (Array.isArray(parsed)) ids = parsed.map((item: { id?: unknown }) => String(item.id));
      } catch {
        ids = [];
      }
      const reply = receiver.reply(requests.length, req);
      requests.push({ at: Date.now(), headers: req.headers, body, ids, reply });
      if ('hang' in reply) return;
      if ('reset' in reply) {
        req.socket.destroy();
        return;
      }
      if (reply.status >= 200 && reply.status < 300) delivered.push(...ids);
      res.writeHead(reply.status, reply.headers);
      res.end();
    });
  };

  const receiver: TestReceiver = {
    get url() {
      return `http://127.0.0.1:${boundPort}/ingest`;
    },
    get port() {
      return boundPort;
    },
    requests,
    delivered,
    get maxConcurrent() {
      return maxConcurrent;
    },
    reply: () => ({ status: 200 }),
    stop: () =>
      new Promise<void>((resolve) => {
        const current = server;
        server = undefined;
        if (current === undefined) return resolve();
        current.close(() => resolve());
        current.closeAllConnections();
      }),
    start: () =>
      new Promise<void>((resolve, reject) => {
        const next = createServer(handle);
        next.keepAliveTimeout = 100;
        next.once('error', reject);
        next.listen(boundPort, '127.0.0.1', () => {
          boundPort = (next.address() as AddressInfo).port;
          server = next;
          resolve();
        });
      }),
  };
  await receiver.start();
  return receiver;
}

/** Resolves after `ms` real milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) return false;
    await sleep(5);
  }
  return true;
}
