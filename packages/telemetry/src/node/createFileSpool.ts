import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, getDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import type { EventStore, TelemetryEvent } from '../types.js';

/** Default bound of the spool on disk: 10 MiB. */
export const DEFAULT_SPOOL_MAX_BYTES = 10 * 1024 * 1024;
/** Default age past which spooled events are discarded (and counted `expired`): 7 days. */
export const DEFAULT_SPOOL_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Default most spool files kept. */
export const DEFAULT_SPOOL_MAX_FILES = 1000;
/** Leftover temporary files older than this are removed: a writer that old has died. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const SPOOL_FILE = /^spool-(\d{15})-[\w.-]+\.json$/;
const TEMP_FILE = /^\.tmp-/;
const FORMAT_VERSION = 1;

/** Input of {@link createFileSpool}. */
export interface FileSpoolOptions {
  /** Folder of the spool; created (mode 0700) on first save. One folder per app. */
  directory: string;
  /** Most bytes on disk; a save that would pass it is refused (the events are then counted as dropped). Default 10 MiB. */
  maxBytes?: number;
  /** Spooled events older than this are discarded when loaded. Default 7 days. */
  maxAgeMs?: number;
  /** Most files in the spool. Default 1000. */
  maxFiles?: number;
  /** Where problems are reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
}

interface SpoolFile {
  v: number;
  savedAt: number;
  events: TelemetryEvent[];
}

/**
 * An {@link EventStore} in a folder: each save writes one file (`spool-<savedAt>-<pid>-<n>.json`,
 * mode 0600) synchronously through a temporary file and a rename, so a save from an `exit`
 * handler completes and a reader never sees half a file. `load()` claims each file by renaming it
 * first, so two processes starting together never send the same events twice; corrupt files are
 * reported and removed, never fatal; files past `maxAgeMs` are removed and their events counted
 * as expired. Never throws.
 */
export function createFileSpool(options: FileSpoolOptions): EventStore {
  const directory = String(options.directory);
  const maxBytes = positiveOr(options.maxBytes, DEFAULT_SPOOL_MAX_BYTES);
  const maxAgeMs = positiveOr(options.maxAgeMs, DEFAULT_SPOOL_MAX_AGE_MS);
  const maxFiles = positiveOr(options.maxFiles, DEFAULT_SPOOL_MAX_FILES);
  const diagnostics = (): Diagnostics => options.diagnostics ?? getDiagnostics();
  let sequence = 0;

  const usage = (): { bytes: number; files: number } => {
    let bytes = 0;
    let files = 0;
    for (const name of readdirSync(directory)) {
      if (!SPOOL_FILE.test(name)) continue;
      try {
        bytes += statSync(join(directory, name)).size;
        files++;
      } catch {
        // Claimed by a loader in the meantime.
      }
    }
    return { bytes, files };
  };

  return {
    save(events) {
      if (!Array.isArray(events) || events.length === 0) return true;
      try {
        mkdirSync(directory, { recursive: true, mode: 0o700 });
        const savedAt = Date.now();
        const payload = JSON.stringify({ v: FORMAT_VERSION, savedAt, events } satisfies SpoolFile);
        const size = Buffer.byteLength(payload);
        const used = usage();
        if (used.bytes + size > maxBytes || used.files + 1 > maxFiles) {
          diagnostics().warn('telemetry/spool-full', `telemetry spool: ${directory} is full (${used.bytes} bytes in ${used.files} files); ${events.length} event(s) not spooled`, `spool-full:${directory}`);
          return false;
        }
        const name = `spool-${String(savedAt).padStart(15, '0')}-${process.pid}-${sequence++}.json`;
        const temp = join(directory, `.tmp-${name}`);
        writeFileSync(temp, payload, { mode: 0o600 });
        renameSync(temp, join(directory, name));
        return true;
      } catch (error) {
        diagnostics().warn('telemetry/spool-write', `telemetry spool: could not write to ${directory}: ${describeError(error)}`, `spool-write:${directory}`);
        return false;
      }
    },

    async load(onExpired) {
      const out: TelemetryEvent[] = [];
      let names: string[];
      try {
        names = await readdir(directory);
      } catch {
        return out; // No spool yet.
      }
      const now = Date.now();
      for (const name of names.sort()) {
        const path = join(directory, name);
        if (TEMP_FILE.test(name)) {
          await removeIfOlder(path, now - STALE_TEMP_MS);
          continue;
        }
        if (!SPOOL_FILE.test(name)) continue;
        const claimed = `${path}.claimed-${process.pid}-${sequence++}`;
        try {
          await rename(path, claimed);
        } catch {
          continue; // Another process took it.
        }
        try {
          const parsed = parseSpoolFile(await readFile(claimed, 'utf8'));
          if (parsed === undefined) {
            diagnostics().warn('telemetry/spool-corrupt', `telemetry spool: skipped unreadable file ${name}`, `spool-corrupt:${name}`);
          } else if (now - parsed.savedAt > maxAgeMs) {
            try {
              onExpired?.(parsed.events.length);
            } catch (error) {
              diagnostics().internalError(error, 'telemetry.spool.onExpired');
            }
          } else {
            for (const event of parsed.events) out.push(event);
          }
        } catch (error) {
          diagnostics().warn('telemetry/spool-read', `telemetry spool: could not read ${name}: ${describeError(error)}`, `spool-read:${name}`);
        } finally {
          await unlink(claimed).catch(() => undefined);
        }
      }
      return out;
    },

    async clear() {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch {
        return;
      }
      await Promise.all(names.filter((n) => SPOOL_FILE.test(n) || TEMP_FILE.test(n)).map((n) => unlink(join(directory, n)).catch(() => undefined)));
    },
  };
}

function parseSpoolFile(text: string): SpoolFile | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const file = parsed as Partial<SpoolFile> | null;
  if (file === null || typeof file !== 'object' || file.v !== FORMAT_VERSION || typeof file.savedAt !== 'number' || !Array.isArray(file.events)) return undefined;
  return file as SpoolFile;
}

async function removeIfOlder(path: string, cutoffMs: number): Promise<void> {
  try {
    if ((await stat(path)).mtimeMs < cutoffMs) await unlink(path);
  } catch {
    // Gone already.
  }
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
