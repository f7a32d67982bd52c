// The entry's constants, apart from config.ts so that the lite entry reads them without its option
// checks.

/** `service.name` when `serviceName` is missing (OpenTelemetry's own fallback). */
export const DEFAULT_SERVICE_NAME = 'unknown_service';
/** Calls (track, captureException …) kept before `initMonitoring`; later ones are dropped and counted. */
export const MAX_PENDING_CALLS = 100;
/** Default deadline of `flush()` and `shutdown()`. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;
/** Name of `trackDownload` events. */
export const DOWNLOAD_EVENT_NAME = 'download';
/** Name of the events errors are sent as. */
export const ERROR_EVENT_NAME = 'error';
