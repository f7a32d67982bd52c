import { join } from 'node:path';
import type { Diagnostics } from '@lookout/core';
import { lazyRequire } from '../internal/lazy.js';

// node:fs through require, at first use: an ESM import of it reads every export, and its stream
// getters load Node's whole stream machinery (about a millisecond of startup).
const fs = (): typeof import('node:fs') => lazyRequire<typeof import('node:fs')>('node:fs');

/** Spooled payloads older than this are discarded: receivers reject samples that old anyway. */
export const DEFAULT_PAYLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const FILE = /^(\d{15})-(\d+)-(\d+)\.(bin|json)$/;

/** One payload kept on disk. */
export interface SpooledPayload {
  /** File name, used to `remove()` it once sent. */
  id: string;
  savedAt: number;
  body: Uint8Array;
}

/**
 * Opaque payloads (an encoded remote-write body, a Sentry envelope) kept in one folder for the
 * next run. Writes are synchronous (so they complete inside an `exit` handler) through a
 * temporary file and a rename; the folder is bounded in bytes; nothing here throws.
 */
export interface PayloadSpool {
  readonly directory: string;
  /** Keeps `body`; `false` when the spool is full or not writable. */
  save(body: Uint8Array | string): boolean;
  /** Payloads of earlier runs, oldest first (expired ones are deleted and counted in `expired`). */
  list(): SpooledPayload[];
  /** Deletes a payload (sent, or refused by the receiver). */
  remove(id: string): void;
  readonly stats: { saved: number; refused: number; expired: number };
}

export function createPayloadSpool(directory: string, maxBytes: number, diag: Diagnostics, maxAgeMs = DEFAULT_PAYLOAD_MAX_AGE_MS): PayloadSpool {
  let sequence = 0;
  const stats = { saved: 0, refused: 0, expired: 0 };
  const names = (): string[] => {
    try {
      return fs().readdirSync(directory).filter((n) => FILE.test(n)).sort();
    } catch {
      return [];
    }
  };
  const used = (): number => {
    let bytes = 0;
    for (const n of names()) {
      try {
        bytes += fs().statSync(join(directory, n)).size;
      } catch {
        // removed meanwhile
      }
    }
    return bytes;
  };
  return {
    directory,
    stats,
    save(body) {
      try {
        const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        fs().mkdirSync(directory, { recursive: true, mode: 0o700 });
        if (used() + bytes.byteLength > maxBytes) {
          stats.refused++;
          diag.warn('spool.full', `the spool at ${directory} is full (${maxBytes} bytes); a payload was dropped`, `spool-full\u0000${directory}`);
          return false;
        }
        const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${sequence++}.${typeof body === 'string' ? 'json' : 'bin'}`;
        const tmp = join(directory, `.tmp-${name}`);
        fs().writeFileSync(tmp, bytes, { mode: 0o600 });
        fs().renameSync(tmp, join(directory, name));
        stats.saved++;
        return true;
      } catch (error) {
        stats.refused++;
        diag.warn('spool.write', `cannot write to the spool at ${directory}: ${(error as Error).message}`, `spool-write\u0000${directory}`);
        return false;
      }
    },
    list() {
      const out: SpooledPayload[] = [];
      const now = Date.now();
      for (const id of names()) {
        const savedAt = Number(FILE.exec(id)![1]);
        const path = join(directory, id);
        if (now - savedAt > maxAgeMs) {
          stats.expired++;
          safeUnlink(path);
          continue;
        }
        try {
          out.push({ id, savedAt, body: fs().readFileSync(path) });
        } catch {
          // Claimed by another process meanwhile.
        }
      }
      return out;
    },
    remove(id) {
      if (FILE.test(id)) safeUnlink(join(directory, id));
    },
  };
}

function safeUnlink(path: string): void {
  try {
    fs().unlinkSync(path);
  } catch {
    // Already gone.
  }
}
