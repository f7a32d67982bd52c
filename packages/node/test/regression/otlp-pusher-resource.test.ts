import { createDiagnostics, createMetricsRegistry, type MetricsRegistry } from '@lookout/core';
import { startMetricsSdk } from '@lookout/core/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../testing/backends.js';
import { createOtlpPusher } from '../../src/exporters/createOtlpPusher.js';
import { createPayloadSpool } from '../../src/spool/createPayloadSpool.js';
import { startPushReceiver, type PushReceiver } from '../helpers/pushReceiver.js';

const quiet = createDiagnostics({ level: 'none' });

type JsonAttribute = { key: string; value: { stringValue?: string } };

/** The resource attributes of an OTLP/JSON request body, as key → string value. */
function resourceOf(body: Buffer): Record<string, string | undefined> {
  const request = JSON.parse(body.toString('utf8')) as { resourceMetrics: { resource: { attributes: JsonAttribute[] } }[] };
  return Object.fromEntries(request.resourceMetrics[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]));
}

function recorded(): MetricsRegistry {
  const registry = createMetricsRegistry({ diagnostics: quiet });
  registry.enable();
  registry.counter('jobs').add(1);
  return registry;
}

describe('createOtlpPusher', () => {
  let receiver: PushReceiver;
  beforeEach(async () => {
    receiver = await startPushReceiver({ status: 200 });
  });
  afterEach(() => receiver.close());

  const pusher = (registry: MetricsRegistry, resource: Record<string, string>, env: Record<string, string>, exitSpool?: ReturnType<typeof createPayloadSpool>) =>
    createOtlpPusher({
      registry,
      otlp: { endpoint: `${receiver.url}/v1/metrics`, protocol: 'http/json' },
      resource,
      env,
      timeoutMs: 2000,
      spool: undefined,
      exitSpool,
      diagnostics: quiet,
    });

  describe('push', () => {
    it('should send the resource startMetricsSdk builds: the SDK defaults (telemetry.sdk.*) under the environment and the code', async () => {
      const env = { OTEL_RESOURCE_ATTRIBUTES: 'deployment.region=eu,service.name=from-attributes' };
      const resource = { 'service.name': 'checkout', 'service.version': '1.2.3' };
      expect(await pusher(recorded(), resource, env).push()).toBe('sent');
      const sent = resourceOf(receiver.bodies[0]!);
      expect(sent).toMatchObject({ 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.name': 'opentelemetry', 'service.name': 'checkout', 'deployment.region': 'eu' });

      const sdk = startMetricsSdk({ registry: recorded(), serviceName: 'checkout', serviceVersion: '1.2.3', memory: true, env });
      await sdk.forceFlush();
      const live = (await sdk.memoryMetrics()).at(-1)!;
      await sdk.shutdown();
      expect(sent).toEqual(live.resource.attributes);
    });

    it('should take service.name from OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES when code gives none, and from code over both', async () => {
      const env = { OTEL_SERVICE_NAME: 'billing', OTEL_RESOURCE_ATTRIBUTES: 'service.name=checkout' };
      await pusher(recorded(), {}, env).push();
      await pusher(recorded(), { 'service.name': 'from-code' }, env).push();
      expect(receiver.bodies.map((b) => resourceOf(b)['service.name'])).toEqual(['billing', 'from-code']);
    });
  });

  describe('resendSpooled', () => {
    it('should send an exit snapshot under the SDK defaults too, with the resource of the run that took it', async () => {
      const exitSpool = createPayloadSpool(makeTempDir('otlp-pusher-resource'), 1 << 20, quiet);
      expect(pusher(recorded(), { 'service.name': 'exited' }, { OTEL_RESOURCE_ATTRIBUTES: 'team=core' }, exitSpool).spoolAtExit()).toBe(true);
      expect(await pusher(createMetricsRegistry({ diagnostics: quiet }), { 'service.name': 'next' }, {}, exitSpool).resendSpooled()).toBe(1);
      expect(resourceOf(receiver.bodies[0]!)).toMatchObject({ 'telemetry.sdk.language': 'nodejs', 'service.name': 'exited', team: 'core' });
    });
  });
});
