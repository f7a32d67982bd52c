#!/usr/bin/env node
// An HTTP server with Lookout: metrics on their own port through the framework-agnostic scrape
// handler, login attempts logged as security events (brute-force detection on), errors reported.
//
//   node examples/server/server.mjs [--port 3000] [--metrics-port 9464] [--duration S]
//   curl -X POST 'http://127.0.0.1:3000/login?user=alice&password=wrong'   (5 failures → 429)
//   curl http://127.0.0.1:3000/boom                                         (an error, reported)
//   curl http://127.0.0.1:9464/metrics
import { createServer } from 'node:http';
import { createPrometheusHandler } from '@lookout/core/prometheus';
import { initMonitoring } from '@lookout/node';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(arg('port', '3000'));
const metricsPort = Number(arg('metrics-port', '9464'));
const durationS = Number(arg('duration', '0'));

const monitoring = initMonitoring({
  serviceName: 'lookout-example-server',
  namespace: 'server',
  // The brute-force detector: 5 failures of one user or IP within a minute block it for 15 minutes.
  security: { bruteForce: { maxFailures: 5, windowMs: 60_000, blockDurationMs: 15 * 60_000 }, onAlert: (e) => process.stdout.write(`ALERT ${e.type} ${e.actor ?? ''}\n`) },
});
const { metrics } = monitoring;
const requests = metrics.counter('http.server.requests', { description: 'Requests, by route and status', unit: '{request}', labels: ['http.route', 'http.response.status_code'] });
const duration = metrics.histogram('http.server.request.duration', { description: 'Request duration, by route', unit: 's', labels: ['http.route'] });
const USERS = new Map([['alice', 'correct horse battery staple']]);

// Metrics on their own port, through the handler any framework can call.
const scrape = createPrometheusHandler({ registry: metrics });
const metricsServer = createServer(async (req, res) => {
  if (req.url !== '/metrics') return void res.writeHead(404).end();
  const { status, contentType, body } = await scrape({ accept: req.headers.accept });
  res.writeHead(status, { 'content-type': contentType }).end(body);
});

const app = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = url.pathname;
  const end = duration.startTimer({ 'http.route': route });
  const reply = (status, text) => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(`${text}\n`);
    requests.add(1, { 'http.route': route, 'http.response.status_code': status });
    end();
  };
  try {
    if (route === '/login' && req.method === 'POST') {
      const user = url.searchParams.get('user') ?? '';
      const sourceIp = req.socket.remoteAddress;
      if (monitoring.security.isBlocked({ actor: user, sourceIp })) return reply(429, 'blocked');
      const ok = USERS.get(user) === url.searchParams.get('password');
      // A failed login counts towards brute force for this user and this IP.
      monitoring.security.logSecurityEvent({ type: 'authentication', outcome: ok ? 'success' : 'failure', actor: user, sourceIp, userAgent: req.headers['user-agent'], target: route });
      return reply(ok ? 200 : 401, ok ? 'welcome' : 'wrong user or password');
    }
    if (route === '/boom') throw new Error('something broke while handling /boom');
    return reply(200, 'ok');
  } catch (error) {
    monitoring.errors.captureError(error, { tags: { route } });
    return reply(500, 'internal error');
  }
});

await monitoring.ready(); // security detectors loaded; records startup time
await Promise.all([new Promise((r) => app.listen(port, '127.0.0.1', r)), new Promise((r) => metricsServer.listen(metricsPort, '127.0.0.1', r))]);
process.stdout.write(`App:     http://127.0.0.1:${app.address().port}/\nMetrics: http://127.0.0.1:${metricsServer.address().port}/metrics\n`);
const stop = async () => {
  app.close();
  metricsServer.close();
  await monitoring.shutdown();
};
if (durationS > 0) setTimeout(stop, durationS * 1000);
process.once('SIGTERM', () => void stop());
