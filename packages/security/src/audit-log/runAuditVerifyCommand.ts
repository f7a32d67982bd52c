import { readFile } from 'node:fs/promises';
import { describeError } from '@lookout/core';
import { verifyAuditLog } from './verifyAuditLog.js';
import type { VerifyAuditLogOptions } from './verifyAuditLog.js';

/** Exit codes of `lookout audit verify`. */
export const AUDIT_VERIFY_EXIT = Object.freeze({
  /** The log is intact. */
  OK: 0,
  /** A record was altered, inserted, deleted or reordered, or the log was truncated. */
  TAMPERED: 1,
  /** Bad arguments, or the log or key could not be read. */
  ERROR: 2,
  /** Intact except a torn last line (a crash mid-write; the writer repairs it on restart). */
  TORN: 3,
});

/** Where the command writes, and the environment it may read a key from. */
export interface AuditVerifyCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Environment for `--key-env`. The CLI passes `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

const USAGE = `usage: lookout audit verify <path> [--key-file <file> | --key-env <NAME>] [--prefix <prefix>] [--json]

Verifies a tamper-evident audit log written by @lookout/security/audit-log.
<path> is the log directory (checks every file and the head) or one segment file.

  --key-file <file>  read the HMAC key from a file (trailing newline removed)
  --key-env <NAME>   read the HMAC key from the environment variable NAME
  --prefix <prefix>  the log's file prefix, when the directory holds several logs
  --json             print the result as JSON

The key is never accepted on the command line, where other users could read it.
Exit codes: 0 intact, 1 tampered, 2 error, 3 torn last line (interrupted write).
`;

/**
 * `lookout audit verify <path>`, for the `lookout` CLI of `@lookout/node` to call with the
 * arguments after `verify`. Prints `OK …` or the first problem as `file:line: message`
 * (or JSON with `--json`) and resolves to the exit code ({@link AUDIT_VERIFY_EXIT}). Never rejects.
 */
export async function runAuditVerifyCommand(argv: readonly string[], io: AuditVerifyCommandIo): Promise<number> {
  const write = (stream: 'stdout' | 'stderr', text: string): void => {
    try {
      io[stream].write(text);
    } catch {
      // Nowhere else to write.
    }
  };
  try {
    let path: string | undefined;
    let keyFile: string | undefined;
    let keyEnv: string | undefined;
    let prefix: string | undefined;
    let json = false;
    const args = Array.isArray(argv) ? [...argv] : [];
    while (args.length > 0) {
      const arg = String(args.shift());
      const value = (): string | undefined => {
        const v = args.shift();
        return v === undefined || v.startsWith('--') ? undefined : String(v);
      };
      if (arg === '--help' || arg === '-h') {
        write('stdout', USAGE);
        return AUDIT_VERIFY_EXIT.OK;
      } else if (arg === '--json') json = true;
      else if (arg === '--key-file') keyFile = value() ?? '';
      else if (arg === '--key-env') keyEnv = value() ?? '';
      else if (arg === '--prefix') prefix = value() ?? '';
      else if (arg === '--key' || arg.startsWith('--key=')) {
        write('stderr', 'lookout audit verify: --key is not accepted (it would show in the process list); use --key-file or --key-env\n');
        return AUDIT_VERIFY_EXIT.ERROR;
      } else if (arg.startsWith('-')) {
        write('stderr', `lookout audit verify: unknown option ${arg}\n${USAGE}`);
        return AUDIT_VERIFY_EXIT.ERROR;
      } else if (path === undefined) path = arg;
      else {
        write('stderr', `lookout audit verify: unexpected argument ${arg}\n${USAGE}`);
        return AUDIT_VERIFY_EXIT.ERROR;
      }
    }
    if (path === undefined || keyFile === '' || keyEnv === '' || prefix === '' || (keyFile !== undefined && keyEnv !== undefined)) {
      write('stderr', USAGE);
      return AUDIT_VERIFY_EXIT.ERROR;
    }
    const options: VerifyAuditLogOptions = {};
    if (prefix !== undefined) options.prefix = prefix;
    if (keyFile !== undefined) {
      try {
        options.key = (await readFile(keyFile, 'utf8')).replace(/\r?\n$/, '');
      } catch (error) {
        write('stderr', `lookout audit verify: cannot read the key file: ${describeError(error)}\n`);
        return AUDIT_VERIFY_EXIT.ERROR;
      }
    } else if (keyEnv !== undefined) {
      const k = io.env?.[keyEnv];
      if (k === undefined || k === '') {
        write('stderr', `lookout audit verify: the environment variable ${keyEnv} is not set\n`);
        return AUDIT_VERIFY_EXIT.ERROR;
      }
      options.key = k;
    }
    if (options.key === '') {
      write('stderr', 'lookout audit verify: the key is empty\n');
      return AUDIT_VERIFY_EXIT.ERROR;
    }
    const result = await verifyAuditLog(path, options);
    if (json) write('stdout', JSON.stringify(result, null, 2) + '\n');
    else {
      const text = result.status === 'ok' ? result.message : `${result.status.toUpperCase()}: ${result.message}`;
      write(result.status === 'ok' ? 'stdout' : 'stderr', text + '\n');
      for (const w of result.warnings) write('stderr', `warning: ${w}\n`);
    }
    if (result.status === 'ok') return AUDIT_VERIFY_EXIT.OK;
    if (result.status === 'torn') return AUDIT_VERIFY_EXIT.TORN;
    if (result.status === 'tampered') return AUDIT_VERIFY_EXIT.TAMPERED;
    return AUDIT_VERIFY_EXIT.ERROR;
  } catch (error) {
    write('stderr', `lookout audit verify: ${describeError(error)}\n`);
    return AUDIT_VERIFY_EXIT.ERROR;
  }
}
