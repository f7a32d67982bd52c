import { createDiagnostics } from '@lookout/core';
import { describe, expect, it } from 'vitest';
import { readEnvOptions } from '../../src/env/readEnv.js';

const diag = createDiagnostics({ level: 'none' });

describe('readEnvOptions', () => {
  describe('serviceName', () => {
    it('should take service.name from OTEL_RESOURCE_ATTRIBUTES', () => {
      expect(readEnvOptions({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=checkout,service.version=1.2.3' }, diag).serviceName).toBe('checkout');
    });

    it('should prefer OTEL_SERVICE_NAME to service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
      expect(readEnvOptions({ OTEL_SERVICE_NAME: 'billing', OTEL_RESOURCE_ATTRIBUTES: 'service.name=checkout' }, diag).serviceName).toBe('billing');
    });
  });
});
