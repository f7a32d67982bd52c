import { isHeader, isHttpUrl, isPlainObject, textField } from '@lookout/core/page';
import type { FieldCheck } from '@lookout/core/page';

// The checks of the options both entries take, one by one, so that `./lite` bundles only these
// (the full entry's table is in config.ts).

/** A name or id of 1–256 characters (`serviceName`, `environment`, `userId`). */
export const NAME_CHECK: FieldCheck = textField(1, 256);
/** A version of 1–128 characters (`serviceVersion`; also the fields of `trackDownload`). */
export const VERSION_CHECK: FieldCheck = textField(1, 128);
/** An absolute http(s) URL (`endpoint`). */
const ENDPOINT_CHECK: FieldCheck = (v) => typeof v === 'string' && isHttpUrl(v);
/** A plain object of headers `fetch` will send (`headers`); else the first name that is not one, or whose value is not. */
const HEADERS_CHECK: FieldCheck = (v) => isPlainObject(v) && (Object.keys(v).find((k) => !isHeader(k, v[k])) ?? true);
/** `granted`, `pending` or `denied` (`consent`). */
const CONSENT_CHECK: FieldCheck = (v) => v === 'granted' || v === 'pending' || v === 'denied';

/** The options both entries take, with the same checks (held to the zod schema by property tests). */
export const SHARED_FIELD_CHECKS = {
  serviceName: NAME_CHECK,
  serviceVersion: VERSION_CHECK,
  environment: NAME_CHECK,
  endpoint: ENDPOINT_CHECK,
  headers: HEADERS_CHECK,
  consent: CONSENT_CHECK,
  userId: NAME_CHECK,
} as const satisfies Record<string, FieldCheck>;
