import { describe, expect, it } from 'vitest';
import * as browser from '@lookout/browser';

describe('@lookout/browser', () => {
  describe('exports', () => {
    it('should export the public surface by package name', () => {
      expect(Object.keys(browser).sort()).toEqual(
        [
          'DEFAULT_SERVICE_NAME',
          'DEFAULT_SHUTDOWN_TIMEOUT_MS',
          'DOWNLOAD_EVENT_NAME',
          'ERROR_EVENT_NAME',
          'MAX_EVENT_STACK_FRAMES',
          'MAX_EVENT_STACK_LENGTH',
          'MAX_PENDING_CALLS',
          'MAX_RECORDS_BEFORE_SENTRY',
          'captureException',
          'captureMessage',
          'createErrorEventSink',
          'flush',
          'formatStack',
          'getMonitoring',
          'identify',
          'initMonitoring',
          'optIn',
          'optOut',
          'resetMonitoringForTests',
          'readMonitoringOptions',
          'MONITORING_FIELD_CHECKS',
          'setRoute',
          'shutdown',
          'track',
          'trackDownload',
        ].sort(),
      );
      for (const [name, value] of Object.entries(browser)) if (/^[a-z]/.test(name)) expect(typeof value, name).toBe('function');
    });

    it('should export the lite tier from ./lite', async () => {
      const lite = await import('@lookout/browser/lite');
      expect(Object.keys(lite).sort()).toEqual(
        [
          'DEFAULT_LITE_ERRORS_PER_MINUTE',
          'LITE_FIELD_CHECKS',
          'captureException',
          'flush',
          'getMonitoring',
          'identify',
          'initMonitoring',
          'optIn',
          'optOut',
          'resetLiteMonitoringForTests',
          'setRoute',
          'shutdown',
          'track',
          'trackDownload',
        ].sort(),
      );
    });

    it('should export the zod schema resolver from ./schema only', async () => {
      const schema = await import('@lookout/browser/schema');
      expect(Object.keys(schema)).toEqual(['resolveMonitoringOptions']);
    });
  });
});
