import { isHttpUrl, isPlainObject, textField } from '@lookout/core/page';
import type { FieldCheck } from '@lookout/core/page';

// The checks of the options both entries take, one by one, so that `./lite` bundles only these
// (the full entry's table is in config.ts).

/** A name or id of 1–256 characters (`serviceName`, `environment`, `userId`). */
export const NAME_CHECK: FieldCheck = textField(1, 256);
/** A version of 1–128 characters (`serviceVersion`; also the fields of `trackDownload`). */
export const VERSION_CHECK: FieldCheck = textField(1, 128);
/** An absolute http(s) URL (`endpoint`). */
export const ENDPOINT_CHECK: FieldCheck = (v) => typeof v === 'string' && isHttpUrl(v);
/** A plain object of string values (`headers`); else the first key whose value is not a string. */
export const HEADERS_CHECK: FieldCheck = (v) => isPlainObject(v) && (Object.keys(v).find((k) => typeof v[k] !== 'string') ?? true);
/** `granted`, `pending` or `denied` (`consent`). */
export const CONSENT_CHECK: FieldCheck = (v) => v === 'granted' || v === 'pending' || v === 'denied';
