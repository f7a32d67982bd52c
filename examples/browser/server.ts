// Builds the example page with esbuild (from the packages' sources, so no build is needed) and
// serves it on 127.0.0.1. `npm start -w @lookout/example-browser` serves it on port 8080 with a
// receiver on 4318 that prints what arrives; the Chromium test starts it on free ports.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

/** Bundles src/main.ts (or src/lite.ts) for browsers (ES2020 IIFE, minified); returns the script text. Fails on any warning. */
export async function buildExample(entry: 'main' | 'lite' = 'main'): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'src', `${entry}.ts`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'silent',
    absWorkingDir: root,
    plugins: [
      {
        name: 'lookout-sources',
        setup(b) {
          b.onResolve({ filter: /^@lookout\/[a-z-]+(\/[a-z-]+)?$/ }, (a) => {
            const [, pkg, sub] = /^@lookout\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(a.path) as RegExpExecArray;
            return { path: join(root, 'packages', pkg as string, 'src', sub ?? '', 'index.ts') };
          });
        },
      },
    ],
  });
  if (result.warnings.length > 0) throw new Error(`example build warnings: ${result.warnings.map((w) => w.text).join('; ')}`);
  return result.outputFiles[0]?.text ?? '';
}

/** A running example site. */
export interface ExampleSite {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves index.html (at every path, as an SPA host does) on 127.0.0.1 with the page built on
 * `@lookout/browser` at /app.js, or, for pages opened with `lite=1` in the query, the same page
 * built on `@lookout/browser/lite` at /lite.js.
 */
export async function serveExample(port = 0): Promise<ExampleSite> {
  const [script, lite] = await Promise.all([buildExample('main'), buildExample('lite')]);
  const html = readFileSync(join(here, 'index.html'), 'utf8');
  const server: Server = createServer((req, res) => {
    const js = { 'content-type': 'text/javascript' };
    if (req.url?.startsWith('/app.js')) res.writeHead(200, js).end(script);
    else if (req.url?.startsWith('/lite.js')) res.writeHead(200, js).end(lite);
    else if (req.url === '/favicon.ico') res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(/[?&]lite=1(&|$)/.test(req.url ?? '') ? html.replace('/app.js', '/lite.js') : html);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const site = await serveExample(8080);
  // A receiver that prints each event: enough to watch the page work.
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }).end();
      // Only the page's logs: other local apps may export OTLP metrics or traces to this default port too.
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/logs')) return;
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      console.log(body.toString('utf8'));
    });
  }).listen(4318, '127.0.0.1');
  console.log(`example page: ${site.url}/products/42 (events are printed here; add ?lite=1 for the page on @lookout/browser/lite)`);
}
