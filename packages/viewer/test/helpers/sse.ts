import { request, type IncomingMessage } from 'node:http';
import { createDiagnostics, type Diagnostics } from '@lookout/core';

/** One Server-Sent Event as received. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** A minimal EventSource for tests: parses `event:`/`data:` frames from a real HTTP stream. */
export interface SseClient {
  readonly events: SseEvent[];
  readonly status: number;
  /** Records received so far (also counted when `keep` is false). */
  recordCount(): number;
  /** Records from every `records` event so far. */
  records(): Record<string, unknown>[];
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}, keep = true): Promise<SseClient> {
  let recordCount = 0;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data === '') continue;
          const parsed = JSON.parse(data) as unknown;
          if (event === 'records') recordCount += (parsed as { records: unknown[] }).records.length;
          if (keep || event !== 'records') events.push({ event, data: parsed });
        }
      });
      res.on('error', () => {});
      resolve({
        events,
        status: res.statusCode ?? 0,
        recordCount: () => recordCount,
        records: () => events.filter((e) => e.event === 'records').flatMap((e) => (e.data as { records: Record<string, unknown>[] }).records),
        waitFor: (probe, timeoutMs = 5000) => waitFor(probe, timeoutMs),
        close: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Diagnostics that collect every message (level debug). */
export function captureDiagnostics(): { diagnostics: Diagnostics; messages: string[] } {
  const messages: string[] = [];
  const push = (m: string): void => {
    messages.push(m);
  };
  return { diagnostics: createDiagnostics({ level: 'info', maxPerMinute: 10_000, logger: { error: push, warn: push, info: push, debug: push } }), messages };
}

/** A raw HTTP request with full control over Host and Origin (fetch forbids setting Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, setHost: options.headers?.host === undefined }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      res.on('data', (c: string) => {
        body += c;
        if (isStream) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
