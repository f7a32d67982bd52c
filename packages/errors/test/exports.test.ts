import { describe, expect, it } from 'vitest';
import * as errors from '@lookout/errors';
import * as sentryNode from '@lookout/errors/sentry-node';
import * as sentryBrowser from '@lookout/errors/sentry-browser';
import * as page from '@lookout/errors/page';

describe('@lookout/errors exports', () => {
  it('should expose the root surface', () => {
    expect(Object.keys(errors).sort()).toEqual(
      [
        'AnalysisError',
        'ConfigurationError',
        'DEFAULT_ERRORS_FLUSH_TIMEOUT_MS',
        'ERROR_TRACKER_FIXED_OPTIONS',
        'DEFAULT_ERRORS_NAMESPACE',
        'DEFAULT_FINGERPRINT_FRAMES',
        'DEFAULT_MAX_BREADCRUMBS',
        'DEFAULT_MAX_GROUPS',
        'DEFAULT_MAX_MESSAGE_LENGTH',
        'DEFAULT_MAX_STACK_FRAMES',
        'DEFAULT_RATE_LIMIT_PER_GROUP',
        'DEFAULT_RATE_LIMIT_WINDOW_MS',
        'DEFAULT_RETRY_ATTEMPTS',
        'DEFAULT_RETRY_INITIAL_MS',
        'DEFAULT_RETRY_MAX_MS',
        'DEFAULT_SPIKE_CATEGORY_THRESHOLD',
        'DEFAULT_SPIKE_COOLDOWN_MS',
        'DEFAULT_SPIKE_GROUP_THRESHOLD',
        'DEFAULT_SPIKE_WINDOW_MS',
        'DatabaseError',
        'ERROR_CATEGORIES',
        'MAX_CUSTOM_CATEGORIES',
        'MAX_RETRY_ATTEMPTS',
        'MonitoredError',
        'PipelineStageError',
        'SEVERITIES',
        'analysisFailed',
        'configurationError',
        'createErrorTracker',
        'databaseOperationFailed',
        'defaultIsInApp',
        'fingerprintParts',
        'hashParts',
        'normaliseMessage',
        'parseStack',
        'pipelineStageFailed',
        'resolveErrorTrackerOptions',
        'resolveErrorTrackerChanges',
      ].sort(),
    );
  });

  it('should expose the same Sentry surface on both platform subpaths', () => {
    const shared = [
      'DEFAULT_SENTRY_CIRCUIT',
      'DEFAULT_SENTRY_GZIP_MIN_BYTES',
      'DEFAULT_SENTRY_MAX_ENVELOPE_BYTES',
      'DEFAULT_SENTRY_MAX_PENDING_EVENTS',
      'DEFAULT_SENTRY_MAX_QUEUE_BYTES',
      'DEFAULT_SENTRY_MAX_QUEUE_ITEMS',
      'DEFAULT_SENTRY_RETRY',
      'DEFAULT_SENTRY_SEND_TIMEOUT_MS',
      'SEVERITY_TO_SENTRY_LEVEL',
      'makeSentryTransport',
      'toSentryEvent',
    ];
    expect(Object.keys(sentryNode).sort()).toEqual([...shared, 'DEFAULT_EXIT_FLUSH_TIMEOUT_MS', 'createSentryNodeSink'].sort());
    expect(Object.keys(sentryBrowser).sort()).toEqual([...shared, 'DEFAULT_HIDE_FLUSH_TIMEOUT_MS', 'createSentryBrowserSink'].sort());
    // One transport; the Node subpath's wraps it to default `gzip` to zlib.
    expect(sentryNode.DEFAULT_SENTRY_GZIP_MIN_BYTES).toBe(sentryBrowser.DEFAULT_SENTRY_GZIP_MIN_BYTES);
  });

  it('should expose the lean page capture on ./page', () => {
    expect(Object.keys(page).sort()).toEqual(['DEFAULT_PAGE_MAX_BREADCRUMBS', 'DEFAULT_PAGE_MAX_PER_GROUP_PER_MINUTE', 'createPageErrorCapture']);
  });

  it('should expose the lite capture on ./lite', async () => {
    const lite = await import('@lookout/errors/lite');
    expect(Object.keys(lite).sort()).toEqual(['MAX_LITE_MESSAGE_LENGTH', 'MAX_LITE_STACK_LENGTH', 'createRateGate', 'describeThrown', 'watchPageErrors']);
  });
});
