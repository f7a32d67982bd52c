import type { ErrorTracker, SecurityLogger, TelemetryClient } from '../internal/featureTypes.js';

const resolvedFlush = (): Promise<{ complete: boolean; pendingItems: number; inFlight: boolean }> => Promise.resolve({ complete: true, pendingItems: 0, inFlight: false });
const zeroDrops = (): Record<string, number> => ({});

/** A telemetry client that records nothing (telemetry off, or still loading). */
export function noopTelemetry(): TelemetryClient {
  const stats = {
    tracked: 0, enqueued: 0, sent: 0, sentBatches: 0, retried: 0, failedSends: 0, circuitOpened: 0,
    dropped: zeroDrops(), queuedItems: 0, queuedBytes: 0, persisted: 0, restored: 0, beaconed: 0,
  } as unknown as TelemetryClient['stats'];
  return {
    track: () => undefined,
    trackCommand: () => undefined,
    trackFeature: () => undefined,
    trackAction: () => undefined,
    identify: () => {},
    optIn: () => {},
    optOut: () => {},
    consent: 'denied',
    sessionId: '',
    flush: resolvedFlush,
    shutdown: resolvedFlush,
    stats,
  };
}

/**
 * An error tracker that captures nothing. `retry` and `withFallback` are never answered from
 * here: the facade loads the real tracker (disabled) for them, so host code behaves the same
 * with errors off.
 */
export function noopErrors(): ErrorTracker {
  return {
    captureError: () => undefined,
    captureMessage: () => undefined,
    addBreadcrumb: () => {},
    setUser: () => {},
    setSession: () => {},
    retry: async (fn) => fn(1),
    withFallback: async (fn) => fn(),
    installGlobalHandlers: () => () => {},
    getGroups: () => [],
    getGroup: () => undefined,
    addSink: () => {},
    configure: () => {},
    flush: () => Promise.resolve(true),
    shutdown: () => Promise.resolve(true),
  };
}

/** A security logger that records nothing and blocks nothing. */
export function noopSecurity(): SecurityLogger {
  return {
    logSecurityEvent: () => undefined,
    shouldAlert: () => false,
    inspectInput: () => [],
    checkRateLimit: () => true,
    isBlocked: () => false,
    block: () => {},
    unblock: () => {},
    configure: () => {},
    detectors: { rateLimiter: { take: () => true, remaining: () => Infinity, reset: () => {}, configure: () => {} } },
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
