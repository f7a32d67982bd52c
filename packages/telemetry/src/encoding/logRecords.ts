import type { TelemetryEvent } from '../types.js';

/** Name of this SDK in OTLP (`telemetry.sdk.name`, scope name) and in JSON batches. */
export const TELEMETRY_SDK_NAME = '@lookout/telemetry';
/** Version of this SDK; kept equal to package.json by a test. */
export const TELEMETRY_SDK_VERSION = '0.1.0';
/** Content type of OTLP/HTTP JSON and plain JSON bodies. */
export const JSON_CONTENT_TYPE = 'application/json';
/** OTLP severity number of every event (INFO). */
export const SEVERITY_INFO = 9;
/** The instrumentation scope of every record. */
export const SCOPE = { name: TELEMETRY_SDK_NAME, version: TELEMETRY_SDK_VERSION };
/** Distinct resources (app version × platform) a batch encoder remembers. */
const MAX_CACHED_RESOURCES = 64;

/** What an encoder needs to know about the client. */
export interface EncoderContext {
  appName: string;
  resourceAttributes: Readonly<Record<string, string | number | boolean>>;
}

/** Resource attributes of one (app version, platform) pair. */
export type ResourceAttributes = Record<string, string | number | boolean>;

/**
 * Returns a lookup of each event's resource attributes: the context's, then `service.name`,
 * `service.version` (the event's `appVersion`), `telemetry.sdk.*` and `lookout.platform`. The
 * same object comes back for events of the same version and platform, so encoders can group by it.
 */
export function createResourceLookup(context: EncoderContext): (event: TelemetryEvent) => ResourceAttributes {
  const resources = new Map<string, ResourceAttributes>();
  return (event) => {
    const key = `${event.appVersion}\u0000${event.platform}`;
    let resource = resources.get(key);
    if (resource === undefined) {
      resource = {
        ...context.resourceAttributes,
        'service.name': context.appName,
        'service.version': event.appVersion,
        'telemetry.sdk.name': TELEMETRY_SDK_NAME,
        'telemetry.sdk.version': TELEMETRY_SDK_VERSION,
        'telemetry.sdk.language': event.platform.startsWith('node') ? 'nodejs' : 'webjs',
        'lookout.platform': event.platform,
      };
      // Spooled events of many app versions are rare; the bound keeps a misuse from growing it.
      if (resources.size < MAX_CACHED_RESOURCES) resources.set(key, resource);
    }
    return resource;
  };
}

/**
 * A log record's attributes: the event's properties, then `event.id`, `session.id`, `user.id`,
 * `enduser.pseudo.id` and `lookout.sample_rate` (these win over properties of the same name).
 */
export function recordAttributes(event: TelemetryEvent): Record<string, unknown> {
  // Not a spread: V8 adds the keys below to a spread copy by a slow path, about 2 µs an event,
  // which made this the hottest function of the Node client; fromEntries copies the same own
  // properties (a `__proto__` key stays one) in a fifth of that.
  const attributes: Record<string, unknown> = Object.fromEntries(Object.entries(event.properties));
  attributes['event.id'] = event.id;
  attributes['session.id'] = event.sessionId;
  if (event.userId !== undefined) attributes['user.id'] = event.userId;
  if (event.anonymousId !== undefined) attributes['enduser.pseudo.id'] = event.anonymousId;
  if (event.sampleRate !== undefined) attributes['lookout.sample_rate'] = event.sampleRate;
  return attributes;
}

/**
 * The event fields {@link recordAttributes} adds after the properties, by attribute name: one
 * that is set wins over a property of the same name, in that property's place. For encoders that
 * write the attributes without building them.
 */
export const EVENT_ATTRIBUTES: ReadonlyArray<readonly [string, 'id' | 'sessionId' | 'userId' | 'anonymousId' | 'sampleRate']> = [
  ['event.id', 'id'],
  ['session.id', 'sessionId'],
  ['user.id', 'userId'],
  ['enduser.pseudo.id', 'anonymousId'],
  ['lookout.sample_rate', 'sampleRate'],
];

/** `ms` since the epoch as OTel's `[seconds, nanoseconds]`. */
export function toHrTime(ms: number): [number, number] {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}
