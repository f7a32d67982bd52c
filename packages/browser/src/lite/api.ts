import { callOrQueue, getMonitoring } from './initMonitoring.js';
import type { LiteMonitoring } from './types.js';

/** The method `name` of the running instance; before `initMonitoring` the call is queued and replayed. */
const queued =
  <K extends 'track' | 'trackDownload' | 'captureException' | 'setRoute' | 'identify' | 'optIn' | 'optOut'>(name: K) =>
  (...args: Parameters<LiteMonitoring[K]>): ReturnType<LiteMonitoring[K]> | undefined =>
    callOrQueue((m) => (m[name] as (...a: unknown[]) => ReturnType<LiteMonitoring[K]>)(...args));

/** `track` of the running instance (queued before init). */
export const track = queued('track');
/** `trackDownload` of the running instance (queued before init). */
export const trackDownload = queued('trackDownload');
/** `captureException` of the running instance (queued before init). */
export const captureException = queued('captureException');
/** `setRoute` of the running instance (queued before init). */
export const setRoute = queued('setRoute');
/** `identify` of the running instance (queued before init). */
export const identify = queued('identify');
/** `optIn` of the running instance (queued before init). */
export const optIn = queued('optIn');
/** `optOut` of the running instance (queued before init, so it applies before anything is sent). */
export const optOut = queued('optOut');
/** `flush` of the running instance; `true` at once when there is none. */
export const flush = (timeoutMs?: number): Promise<boolean> => getMonitoring()?.flush(timeoutMs) ?? Promise.resolve(true);
/** `shutdown` of the running instance; resolves at once when there is none. */
export const shutdown = (timeoutMs?: number): Promise<void> => getMonitoring()?.shutdown(timeoutMs) ?? Promise.resolve();
