// A Sentry envelope receiver for errors-reliability.mjs, in its own process so that @sentry/node's
// HTTP instrumentation in the load process never sees it. Talks to its parent over IPC:
//   parent → { fault: 'ok' | 'down' | 'hang' | 'reset' | { status, retryAfter?, rateLimits? } }
//   parent → { report: true }  → child replies { eventIds: number, requests: number }
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

let fault = 'ok';
const eventIds = new Set();
let requests = 0;
const sockets = new Set();
const held = new Set();

function handle(req, res) {
  requests++;
  const current = fault;
  if (current === 'reset') {
    req.socket.destroy();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (current === 'hang') {
      held.add(res);
      return;
    }
    if (typeof current === 'object') {
      const headers = {};
      if (current.retryAfter) headers['retry-after'] = current.retryAfter;
      if (current.rateLimits) headers['x-sentry-rate-limits'] = current.rateLimits;
      res.writeHead(current.status, headers).end();
      return;
    }
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const newline = body.indexOf(10);
    try {
      const header = JSON.parse(body.subarray(0, newline === -1 ? body.length : newline).toString('utf8'));
      if (typeof header.event_id === 'string' && body.includes('{"type":"event"')) eventIds.add(header.event_id);
    } catch {
      // not an envelope
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
}

let server;
function listen(port) {
  return new Promise((resolve) => {
    server = createServer(handle);
    server.keepAliveTimeout = 5000;
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

const port = await listen(0);
process.send({ port });
process.on('message', async (msg) => {
  if (msg.report) {
    process.send({ eventIds: eventIds.size, requests });
    return;
  }
  if (msg.fault === 'down') {
    fault = 'ok';
    server.close();
    for (const s of sockets) s.destroy();
    return;
  }
  if (msg.fault === 'up') {
    await listen(port);
    return;
  }
  fault = msg.fault;
});
process.on('disconnect', () => process.exit(0));
