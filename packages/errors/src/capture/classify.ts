import type { BuiltInCategory, CaptureMechanism, Severity } from '../types.js';
import { safeGet } from './safe.js';

const JAVASCRIPT_TYPES = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError', 'EvalError', 'URIError', 'InternalError']);
const NETWORK_TYPES = new Set(['AbortError', 'TimeoutError', 'NetworkError', 'FetchError', 'ConnectTimeoutError', 'SocketError']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_NETWORK',
]);
const NETWORK_MESSAGES = ['Failed to fetch', 'NetworkError when attempting to fetch resource', 'Load failed', 'fetch failed', 'socket hang up'];
const DATABASE_CODE = /^(?:SQLITE_|ER_|ORA-|P\d{4}$|\d{2}[0-9A-Z]\d{2}$)/;
const DATABASE_TYPE = /sql|database|sequelize|mongo|prisma|knex|typeorm|query|redis/i;
const SECURITY_TYPE = /auth|permission|forbidden|csrf|security|access ?denied/i;
const CONFIG_TYPE = /config/i;
const API_TYPE = /http|api|response/i;

/**
 * Guesses a category from what an error looks like: its type, its `code` (Node system errors,
 * database drivers), an HTTP `status`, well-known fetch failure messages. `undefined` when
 * nothing matches.
 */
export function inferCategory(type: string, message: string, error: unknown): BuiltInCategory | undefined {
  const code = typeof error === 'object' && error !== null ? safeGet(error, 'code') : undefined;
  const causeCode = typeof error === 'object' && error !== null ? safeGet(safeGet(error, 'cause'), 'code') : undefined;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
  if (typeof causeCode === 'string' && NETWORK_CODES.has(causeCode)) return 'network';
  if (typeof code === 'string' && code.startsWith('UND_ERR')) return 'network';
  if (isNetworkFailure(type, message)) return 'network';
  if (typeof code === 'string' && DATABASE_CODE.test(code)) return 'database';
  if (DATABASE_TYPE.test(type)) return 'database';
  if (SECURITY_TYPE.test(type)) return 'security';
  if (CONFIG_TYPE.test(type)) return 'configuration';
  const status = typeof error === 'object' && error !== null ? (safeGet(error, 'status') ?? safeGet(error, 'statusCode')) : undefined;
  if (typeof status === 'number' && status >= 400 && status < 600) return 'api';
  if (API_TYPE.test(type)) return 'api';
  if (JAVASCRIPT_TYPES.has(type)) return 'javascript';
  return undefined;
}

/** Whether the type (`AbortError`, `TimeoutError` …) or the message (`Failed to fetch` …) is a known network failure. */
export function isNetworkFailure(type: string, message: string): boolean {
  return NETWORK_TYPES.has(type) || NETWORK_MESSAGES.some((m) => message.startsWith(m));
}

/** Default severity by how the error arrived: uncaught is `critical`, a message `low`, else `high`. */
export function defaultSeverity(kind: 'error' | 'message', mechanism: CaptureMechanism): Severity {
  if (kind === 'message') return 'low';
  if (mechanism === 'uncaughtException') return 'critical';
  if (mechanism === 'fallback') return 'medium';
  return 'high';
}
