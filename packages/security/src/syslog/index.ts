export { createSyslogSink } from './createSyslogSink.js';
export type { SyslogSink } from './createSyslogSink.js';
export { formatSyslogMessage, printUsAscii, SYSLOG_FACILITIES, RISK_SEVERITY, DEFAULT_SD_ID } from './formatSyslogMessage.js';
export type { SyslogFacility, SyslogFormatOptions } from './formatSyslogMessage.js';
export {
  syslogSinkOptionsSchema,
  resolveSyslogSinkOptions,
  DEFAULT_SYSLOG_PORT,
  DEFAULT_SYSLOG_TLS_PORT,
  DEFAULT_SYSLOG_TLS_MIN_VERSION,
  syslogTlsOptionsSchema,
  DEFAULT_SYSLOG_UDP_MAX_BYTES,
  DEFAULT_SYSLOG_STREAM_MAX_BYTES,
  DEFAULT_SYSLOG_FLUSH_INTERVAL_MS,
  DEFAULT_SYSLOG_CONNECT_TIMEOUT_MS,
} from './config.js';
export type { SyslogSinkOptions, ResolvedSyslogSinkOptions, SyslogTlsOptions, SyslogTlsMaterial } from './config.js';
