// A small shop instrumented with Lookout, wired to a live viewer:
// - metrics go to the registry the viewer reads (orders per plan, request latency, cart size);
// - usage events go through @lookout/telemetry as OTLP/HTTP protobuf to the viewer's endpoint;
// - errors go through @lookout/errors, with the viewer as a sink;
// - security events go through @lookout/security, with the viewer as a sink.
import { createErrorTracker } from '@lookout/errors';
import { createSecurityLogger } from '@lookout/security';
import { createNodeTelemetryClient } from '@lookout/telemetry/node';

/**
 * @param {{ viewer: import('@lookout/viewer').Viewer, registry: import('@lookout/core').MetricsRegistry }} options
 */
export function createShop({ viewer, registry }) {
  const orders = registry.counter('shop.orders', { labels: ['plan'], description: 'Orders placed, by plan' });
  const latency = registry.histogram('http.server.request.duration', { unit: 's', labels: ['route'], description: 'Request duration' });
  const cartItems = registry.gauge('shop.cart.items', { description: 'Items in the current cart' });
  const errors = createErrorTracker({ registry, sinks: [viewer.errorSink()] });
  const security = createSecurityLogger({ registry, sinks: [viewer.securitySink()] });
  const telemetry = createNodeTelemetryClient({
    endpoint: viewer.endpoints.otlpLogs,
    format: 'otlp-proto',
    app: { name: 'shop', version: '1.0.0' },
    flushIntervalMs: 100,
    spool: false,
    exitHandling: false,
    respectDoNotTrack: false,
  });

  return {
    /** One checkout: a request timed into the histogram, an order counted, an event tracked. */
    checkout(plan = 'pro', seconds = 0.05 + Math.random() * 0.2) {
      latency.record(seconds, { route: '/checkout' });
      orders.add(1, { plan });
      cartItems.set(Math.floor(Math.random() * 5));
      telemetry.track('checkout.completed', { plan });
    },
    /** An error in the cart code. */
    failCart(message = 'cart is undefined') {
      try {
        throw new TypeError(message);
      } catch (error) {
        errors.captureError(error, { tags: { route: '/cart' } });
      }
    },
    /** A failed login from a suspicious address. */
    loginFailed(user = 'mallory') {
      security.logSecurityEvent({ type: 'authentication', outcome: 'failure', actor: user, sourceIp: '203.0.113.9', risk: 'high' });
    },
    async close() {
      await telemetry.shutdown(1000);
      await errors.shutdown?.(1000);
    },
  };
}
