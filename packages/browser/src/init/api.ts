import type { CaptureContext, Severity } from '@lookout/errors/page';
import type { Monitoring } from '../types.js';
import { callOrQueue, getMonitoring } from './initMonitoring.js';

/** `track` of the running instance; before `initMonitoring` the call is queued and replayed. */
export function track(name: string, properties?: Record<string, unknown>): string | undefined {
  return callOrQueue((m) => m.track(name, properties));
}

/** `trackDownload` of the running instance (queued before init): a `download` event `{ platform, method, version }`. */
export function trackDownload(platform: string, method: string, version: string): string | undefined {
  return callOrQueue((m) => m.trackDownload(platform, method, version));
}

/** `captureException` of the running instance (queued before init). */
export function captureException(error: unknown, context?: CaptureContext): string | undefined {
  return callOrQueue((m) => m.captureException(error, context));
}

/** `captureMessage` of the running instance (queued before init). */
export function captureMessage(message: string, severity?: Severity, context?: CaptureContext): string | undefined {
  return callOrQueue((m) => m.captureMessage(message, severity, context));
}

/** `setRoute` of the running instance (queued before init): SPA routers call it on each navigation. */
export function setRoute(route: string): void {
  callOrQueue((m) => m.setRoute(route));
}

/** `identify` of the running instance (queued before init). */
export function identify(userId: string | undefined): void {
  callOrQueue((m) => m.identify(userId));
}

/** `optIn` of the running instance (queued before init). */
export function optIn(): void {
  callOrQueue((m) => m.optIn());
}

/** `optOut` of the running instance (queued before init, so it applies before anything is sent). */
export function optOut(): void {
  callOrQueue((m) => m.optOut());
}

/** `flush` of the running instance; resolves `true` at once when there is none. */
export function flush(timeoutMs?: number): Promise<boolean> {
  return getMonitoring()?.flush(timeoutMs) ?? Promise.resolve(true);
}

/** `shutdown` of the running instance; resolves at once when there is none. Never rejects. */
export function shutdown(timeoutMs?: number): Promise<void> {
  const running: Monitoring | undefined = getMonitoring();
  return running?.shutdown(timeoutMs) ?? Promise.resolve();
}
