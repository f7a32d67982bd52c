import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, renderPrometheus } from '@lookout/core';

describe('renderPrometheus', () => {
  describe('# HELP', () => {
    it('should escape a double quote in OpenMetrics, whose escaped-string leaves it out of normal-char', async () => {
      const registry = createMetricsRegistry();
      registry.counter('http.requests', { description: 'Say "hi" \\ twice\nplease' }).add(1);
      const om = await renderPrometheus(registry, { openMetrics: true });
      expect(om).toContain('# HELP http_requests Say \\"hi\\" \\\\ twice\\nplease\n');
    });

    it('should leave a double quote as it is in the text format 0.0.4, byte for byte as prom-client', async () => {
      const registry = createMetricsRegistry();
      registry.counter('http.requests', { description: 'Say "hi" \\ twice\nplease' }).add(1);
      const pr = new client.Registry();
      new client.Counter({ name: 'http_requests_total', help: 'Say "hi" \\ twice\nplease', registers: [pr] }).inc();
      const help = (text: string): string | undefined => text.split('\n').find((l) => l.startsWith('# HELP'));
      expect(help(await renderPrometheus(registry))).toBe(help(await pr.metrics()));
    });
  });
});
