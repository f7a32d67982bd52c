/** The kinds of record the viewer shows besides metrics. */
export type RecordType = 'event' | 'error' | 'security' | 'budget' | 'vital' | 'log';

/** Every signal a page can subscribe to: the record types plus `metric`. */
export type SignalType = RecordType | 'metric';

/** An attribute value as shown: strings, finite numbers, booleans and null. */
export type AttributeValue = string | number | boolean | null;

/**
 * One record as the viewer streams it, whatever it came from (`publish()`, OTLP logs, a beacon,
 * a Sentry envelope). `level` holds what ranks it: an error's severity, a security event's risk,
 * a budget's state, a vital's rating or a log's severity text.
 */
export interface ViewerRecord {
  /** Increasing number given by the viewer. */
  seq: number;
  type: RecordType;
  /** Milliseconds since the epoch. */
  time: number;
  /** Event name, error type, security action, budget name, vital name (`LCP`) or log name. */
  name: string;
  /** Which app it came from: the viewer's `sourceName` for this process, else `service.name`. */
  source: string;
  level?: string;
  value?: number;
  message?: string;
  /** Errors: the group (fingerprint). */
  group?: string;
  /** Flat attributes (nested values are JSON text), at most 64, each value at most 1,024 characters. */
  attributes: Record<string, AttributeValue>;
}

/** Fields every {@link PublishInput} may carry. */
interface PublishCommon {
  /** Milliseconds since the epoch. Default: now. */
  time?: number;
  /** Which app it came from. Default: the viewer's `sourceName`. */
  source?: string;
  attributes?: Record<string, unknown>;
}

/**
 * What `viewer.publish()` accepts: the hook other Lookout packages (and `initMonitoring({ viewer: true })`)
 * call to show something on the page. Unknown fields are ignored; an invalid input gets one
 * diagnostic and is dropped.
 */
export type PublishInput =
  | (PublishCommon & { type: 'event'; name: string; properties?: Record<string, unknown> })
  | (PublishCommon & {
      type: 'error';
      /** Error type, e.g. `TypeError`. */
      name: string;
      message?: string;
      /** Group id; errors with the same one are shown as one group. Default: name and message. */
      fingerprint?: string;
      /** `low` | `medium` | `high` | `critical`. */
      severity?: string;
      category?: string;
      stack?: string;
    })
  | (PublishCommon & {
      type: 'security';
      /** What happened, e.g. `authn_login_fail`. */
      action: string;
      /** `low` | `medium` | `high` | `critical`. */
      risk: string;
      outcome?: string;
      actor?: string;
      target?: string;
      sourceIp?: string;
    })
  | (PublishCommon & {
      type: 'budget';
      name: string;
      /** e.g. `ok`, `warning`, `exceeded`, `anomaly`. */
      state: string;
      value?: number;
      limit?: number;
      message?: string;
    })
  | (PublishCommon & {
      type: 'vital';
      /** `LCP`, `INP`, `CLS`, `FCP`, `TTFB`. */
      name: string;
      value: number;
      /** `good` | `needs-improvement` | `poor`. */
      rating?: string;
      page?: string;
    })
  | (PublishCommon & { type: 'log'; name?: string; message: string; severity?: string });

/** The part of `@lookout/errors`' `ErrorRecord` the viewer reads. */
export interface ErrorRecordLike {
  timestamp?: number;
  type?: string;
  message?: string;
  category?: string;
  severity?: string;
  fingerprint?: string;
  handled?: boolean;
  mechanism?: string;
  tags?: Record<string, unknown>;
  groupCount?: number;
}

/** The part of `@lookout/security`'s `SecurityEvent` the viewer reads. */
export interface SecurityEventLike {
  time?: number;
  type?: string;
  action?: string;
  outcome?: string;
  risk?: string;
  actor?: string;
  sourceIp?: string;
  target?: string;
  details?: Record<string, unknown>;
}

/** Counters of one open stream. */
export interface StreamStats {
  id: number;
  /** The stream's filter as the page sent it (query string). */
  filter: string;
  /** Records and messages dropped because the page did not read fast enough. */
  dropped: number;
  /** Bytes (UTF-8) waiting for the page. Never above `streamBufferBytes` plus one status message. */
  bufferedBytes: number;
  /** Bytes (UTF-8) written to the socket so far. */
  sentBytes: number;
}

/** What the viewer has seen and done since it started. */
export interface ViewerStats {
  /** Records accepted (published or received). */
  received: number;
  /** Records sampled out because more than `maxRecordsPerSecond` arrived. */
  sampled: number;
  /** Records refused as invalid. */
  invalid: number;
  /** Records dropped on slow streams, summed over every stream so far. */
  dropped: number;
  /** Requests refused: missing or wrong token, foreign Host or Origin. */
  refused: number;
  /** Metric series in the last snapshot (this process and OTLP posts). */
  series: number;
  streams: StreamStats[];
}

/** A running viewer. */
export interface Viewer {
  /** The page, with the token: `http://127.0.0.1:9469/?token=…`. Open it in a browser; treat it as a secret. */
  readonly url: string;
  /** Base URL without the token, e.g. `http://127.0.0.1:9469`. */
  readonly origin: string;
  /** The port listened on (the real one once `ready`, also when 0 was asked for). */
  readonly port: number;
  /** The token every request must carry (`?token=`, `Authorization: Bearer`, or `x-lookout-token`). */
  readonly token: string;
  /**
   * Where other processes and pages send data, token included: OTLP/HTTP logs and metrics
   * (protobuf or JSON), beacons (`text/plain` JSON), and a Sentry DSN whose public key is the token.
   */
  readonly endpoints: {
    readonly otlpLogs: string;
    readonly otlpMetrics: string;
    readonly ingest: string;
    readonly sentryDsn: string;
  };
  /** Resolves true once listening; false when it could not listen (reported as a diagnostic) or was closed first. Never rejects. */
  readonly ready: Promise<boolean>;
  /** Shows a record on every page whose filter matches. Never throws; invalid input gets one diagnostic. */
  publish(record: PublishInput): void;
  /** An `ErrorSink` for `@lookout/errors` (`createErrorTracker({ sinks: [viewer.errorSink()] })`). */
  errorSink(): { readonly name: string; capture(record: ErrorRecordLike): void };
  /** A `SecuritySink` for `@lookout/security` (`createSecurityLogger({ sinks: [viewer.securitySink()] })`). */
  securitySink(): { readonly name: string; write(event: SecurityEventLike): void };
  /** Counters of what was received, sampled, dropped and refused, and of each open stream. */
  stats(): ViewerStats;
  /** Ends every stream and stops listening; resolves once the port is free, also when called before `ready`. Idempotent; never rejects. */
  close(): Promise<void>;
}
