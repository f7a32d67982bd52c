// A quick structural check of initMonitoring() options that needs no zod. It is conservative:
// it accepts only what the zod schema in config.ts accepts too (a property test holds it to
// that), and anything it does not recognise goes to the full check, which names each problem.
// Its purpose is the cold start: a well-formed options object never loads zod.
import { isHttpUrl } from '@lookout/core';

type Check = (v: unknown) => boolean;
interface Shape {
  readonly [key: string]: Check;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const bool: Check = (v) => typeof v === 'boolean';
const isFalse: Check = (v) => v === false;
const str =
  (min: number, max = Infinity): Check =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max;
const int =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const either =
  (...checks: readonly Check[]): Check =>
  (v) =>
    checks.some((c) => c(v));
const matches =
  (re: RegExp): Check =>
  (v) =>
    typeof v === 'string' && re.test(v);
const url: Check = (v) => typeof v === 'string' && isHttpUrl(v);
const recordOf =
  (key: Check, value: Check): Check =>
  (v) =>
    isObj(v) && Object.keys(v).every((k) => key(k) && value(v[k]));
const methods =
  (...names: readonly string[]): Check =>
  (v) =>
    v !== null && typeof v === 'object' && names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function');
const shape =
  (s: Shape): Check =>
  (v) =>
    isObj(v) && Object.keys(v).every((k) => Object.prototype.hasOwnProperty.call(s, k) && s[k]!(v[k]));

/**
 * `shape`, with the check of each field made on its first use: the start-up builds (and V8
 * compiles) only the checks of the options it is given, not those of every option there is.
 */
const lazyShape = (fields: Readonly<Record<string, () => Check>>): Check => {
  const made: Record<string, Check> = Object.create(null) as Record<string, Check>;
  return (v) => isObj(v) && Object.keys(v).every((k) => Object.prototype.hasOwnProperty.call(fields, k) && (made[k] ??= fields[k]!())(v[k]));
};

const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const labels = (): Check => recordOf(matches(LABEL), str(0));
const headers = (): Check => recordOf(str(0), str(0));
const plainObject: Check = (v) => isObj(v);

const OPTIONS = lazyShape({
  enabled: () => optional(bool),
  serviceName: () => optional(str(1, 256)),
  serviceVersion: () => optional(str(0, 128)),
  environment: () => optional(str(0, 128)),
  profile: () => optional(oneOf('development', 'staging', 'production')),
  namespace: () => optional(matches(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/)),
  diagnostics: () =>
    optional(
      shape({
        level: optional(oneOf('none', 'error', 'warn', 'info', 'debug')),
        logger: optional(methods('error', 'warn', 'info', 'debug')),
        maxPerMinute: optional(int(1)),
      }),
    ),
  metrics: () =>
    optional(
      either(
        isFalse,
        shape({
          registry: optional(methods('instruments')),
          prometheus: optional(either(isFalse, shape({ host: optional(str(1)), port: optional(int(0, 65_535)), path: optional(matches(/^\//)) }))),
          pushgateway: optional(shape({ url, job: optional(str(1, 256)), groupingLabels: optional(labels()), headers: optional(headers()), intervalMs: optional(int(0)) })),
          remoteWrite: optional(shape({ url, headers: optional(headers()), externalLabels: optional(labels()), intervalMs: optional(int(0)), timeoutMs: optional(int(1)) })),
          otlp: optional(
            either(
              bool,
              shape({
                endpoint: optional(url),
                protocol: optional(oneOf('http/protobuf', 'http/json')),
                headers: optional(headers()),
                intervalMs: optional(int(1)),
                timeoutMs: optional(int(1)),
              }),
            ),
          ),
          pushOnExit: optional(bool),
        }),
      ),
    ),
  runtimeMetrics: () =>
    optional(either(bool, shape({ eventLoopResolutionMs: optional(int(1, 1000)), gc: optional(bool), diskPaths: optional(recordOf(str(1, 64), str(1))) }))),
  workers: () => optional(shape({ aggregate: optional(bool), labelByWorker: optional(bool), intervalMs: optional(int(1)) })),
  telemetry: () => optional(either(isFalse, plainObject)),
  errors: () => optional(either(isFalse, plainObject)),
  security: () => optional(either(isFalse, plainObject)),
  viewer: () => optional(either(bool, (v) => isObj(v) && Object.keys(v).every((k) => k === 'port') && (v.port === undefined || int(0, 65_535)(v.port)))),
  spool: () => optional(either(isFalse, shape({ directory: optional(str(1)), maxBytes: optional(int(1)) }))),
  exit: () => optional(shape({ deadlineMs: optional(int(0, 60_000)), signals: optional(bool) })),
  env: () => optional(recordOf(str(0), optional(str(0)))),
  strict: () => optional(bool),
});

/**
 * Whether `input` is certainly valid `initMonitoring()` options (`undefined` included). Never
 * throws: a hostile object (throwing getters, proxies) is simply not accepted here.
 */
export function fastAccepts(input: unknown): boolean {
  if (input === undefined) return true;
  try {
    return OPTIONS(input);
  } catch {
    return false;
  }
}
