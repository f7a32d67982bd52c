// Types of the feature packages. Type-only imports: nothing here is loaded at run time, so a
// part that is off costs nothing.
export type { TelemetryClient } from '@lookout/telemetry';
export type { NodeTelemetryClientOptions } from '@lookout/telemetry/node';
export type { ErrorTracker, ErrorTrackerOptions } from '@lookout/errors';
export type { SentryNodeSinkOptions } from '@lookout/errors/sentry-node';
export type { SecurityLogger, SecurityLoggerOptions, SiemSinkOptions } from '@lookout/security';
export type { AuditLogOptions } from '@lookout/security/audit-log';
export type { SecuritySink } from '@lookout/security';
