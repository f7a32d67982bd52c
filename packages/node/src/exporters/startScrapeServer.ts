import { createServer, type Server } from 'node:http';
import type { Diagnostics } from '@lookout/core';

/** What a scrape answers. */
export interface ScrapeAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A listening scrape endpoint. */
export interface ScrapeServer {
  /** Resolves to the URL once listening, `undefined` when the port could not be used (one diagnostic). */
  readonly ready: Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Serves `answer(accept)` at `http://host:port/path`. Unlike core's `startPrometheusServer` it
 * takes the answer as a function, so a cluster primary can serve its workers' metrics merged
 * into its own. The server is unref'd (it never keeps the process alive) and a port in use is a
 * diagnostic, not an exception.
 */
export function startScrapeServer(
  o: { host: string; port: number; path: string },
  answer: (accept: string | undefined) => Promise<ScrapeAnswer>,
  diag: Diagnostics,
): ScrapeServer {
  let server: Server | undefined;
  const ready = new Promise<string | undefined>((resolve) => {
    try {
      server = createServer((req, res) => {
        if ((req.url ?? '/').split('?')[0] !== o.path) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found; metrics are at ${o.path}\n`);
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { allow: 'GET, HEAD' }).end();
          return;
        }
        answer(req.headers.accept).then(
          (a) => res.writeHead(a.status, { 'content-type': a.contentType }).end(req.method === 'HEAD' ? undefined : a.body),
          () => res.writeHead(500).end(),
        );
      });
      server.on('error', (error: NodeJS.ErrnoException) => {
        diag.error(
          'prometheus.listen',
          error.code === 'EADDRINUSE'
            ? `cannot serve metrics on ${o.host}:${o.port}: the port is in use; choose another (metrics.prometheus.port or LOOKOUT_PROMETHEUS_PORT)`
            : `cannot serve metrics on ${o.host}:${o.port}: ${error.message}`,
          `${o.host}:${o.port}`,
        );
        resolve(undefined);
      });
      server.listen(o.port, o.host, () => {
        const address = server!.address();
        const port = address !== null && typeof address === 'object' ? address.port : o.port;
        resolve(`http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}${o.path}`);
      });
      server.unref();
    } catch (error) {
      diag.internalError(error, 'startScrapeServer');
      resolve(undefined);
    }
  });
  let closed: Promise<void> | undefined;
  return {
    ready,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        if (server === undefined || !server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
