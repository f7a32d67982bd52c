import { createServer, type Server } from 'node:http';
import { resolveOptions } from '../config/resolveOptions.js';
import { getDiagnostics } from '../diagnostics/index.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { createPrometheusHandler } from './handler.js';
import { prometheusServerOptionsSchema, type PrometheusServerOptions } from './options.js';

/** A running scrape endpoint. */
export interface PrometheusServer {
  /** Where Prometheus should scrape, e.g. `http://127.0.0.1:9464/metrics` (the real port once listening). */
  readonly url: string;
  /** Resolves true once listening, false when the port could not be used (reported as a diagnostic). */
  readonly ready: Promise<boolean>;
  /** Stops listening. Idempotent; never rejects. */
  close(): Promise<void>;
}

/**
 * Serves the registry at `http://host:port/path` (default `http://127.0.0.1:9464/metrics`).
 * The server never keeps the process alive (`unref`), and a port in use is a diagnostic, never
 * an exception: `ready` resolves false. Invalid options get one diagnostic each and their
 * defaults, or throw with `strict: true`.
 */
export function startPrometheusServer(options?: PrometheusServerOptions): PrometheusServer {
  const diag = getDiagnostics();
  const o = resolveOptions(prometheusServerOptionsSchema, options, { component: 'startPrometheusServer', diagnostics: diag }).options ?? prometheusServerOptionsSchema.parse({});
  const handler = createPrometheusHandler({ registry: o.registry as MetricsRegistry | undefined, openMetrics: o.openMetrics });
  let url = `http://${formatHost(o.host)}:${o.port}${o.path}`;
  let server: Server | undefined;
  let closed: Promise<void> | undefined;

  const ready = new Promise<boolean>((resolve) => {
    try {
      server = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path !== o.path) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found; metrics are at ${o.path}\n`);
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { allow: 'GET, HEAD' }).end();
          return;
        }
        void handler({ accept: req.headers.accept }).then((r) => {
          res.writeHead(r.status, { 'content-type': r.contentType });
          res.end(req.method === 'HEAD' ? undefined : r.body);
        });
      });
      server.keepAliveTimeout = 65_000;
      server.on('error', (error: NodeJS.ErrnoException) => {
        diag.error(
          'prometheus.listen',
          error.code === 'EADDRINUSE'
            ? `cannot serve metrics on ${o.host}:${o.port}: the port is in use; choose another port (option "port")`
            : `cannot serve metrics on ${o.host}:${o.port}: ${error.message}`,
          `${o.host}:${o.port}`,
        );
        resolve(false);
      });
      server.listen(o.port, o.host, () => {
        const address = server!.address();
        if (address !== null && typeof address === 'object') url = `http://${formatHost(o.host)}:${address.port}${o.path}`;
        resolve(true);
      });
      server.unref();
    } catch (error) {
      diag.internalError(error, 'startPrometheusServer');
      resolve(false);
    }
  });

  return {
    get url() {
      return url;
    },
    ready,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        if (server === undefined || !server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections?.();
      })),
  };
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
