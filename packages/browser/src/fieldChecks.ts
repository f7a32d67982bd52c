import { booleanField, isHttpUrl, isPlainObject, methodsField, textField } from '@lookout/core/page';
import type { FieldCheck } from '@lookout/core/page';
import type { MonitoringOptions } from './types.js';

const isObject: FieldCheck = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSwitch: FieldCheck = (v) => typeof v === 'boolean' || isObject(v);

/** One check per option, accepting exactly what the zod schema of `@lookout/browser/schema` accepts. */
export const MONITORING_FIELD_CHECKS: Readonly<Record<keyof MonitoringOptions, FieldCheck>> = {
  serviceName: textField(1, 256),
  serviceVersion: textField(1, 128),
  environment: textField(1, 256),
  endpoint: (v) => typeof v === 'string' && isHttpUrl(v),
  headers: (v) => isPlainObject(v) && (Object.keys(v).find((k) => typeof v[k] !== 'string') ?? true),
  consent: (v) => v === 'granted' || v === 'pending' || v === 'denied',
  userId: textField(1, 256),
  persistence: booleanField,
  webVitals: isSwitch,
  errors: isSwitch,
  sentry: (v) => typeof v === 'object' && v !== null && typeof (v as { dsn?: unknown }).dsn === 'string' && (v as { dsn: string }).dsn.length > 0,
  telemetry: isObject,
  registry: methodsField('histogram'),
  diagnostics: methodsField('warn'),
  strict: booleanField,
};
