import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
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
/** Leftover temporary files and claims older than this are taken over: a writer or loader that old has died. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const SPOOL_FILE = /^spool-(\d{15})-[\w.-]+\.json$/;
/** A spool file a loader renamed: `<spool file>.claimed-<pid>-<its start>-<claimed at>-<n>` (before: `.claimed-<pid>-<n>`). */
const CLAIMED_FILE = /^(spool-\d{15}-[\w.-]+\.json)\.claimed-(\d+)-([\d-]+)$/;
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
 * first, so two processes starting together never send the same events twice, and hands its
 * events to `take` (the client's queue) before deleting it: what the queue had no room for is
 * written back under the file's own name and loading stops, so a restore never overfills the
 * queue. A file claimed by a process that has since died (a crash or `process.exit()` midway)
 * is loaded again by the next run, and `clear()` removes it too. Corrupt files are reported and
 * removed, never fatal; files past `maxAgeMs` are removed and their events counted as expired.
 * Never throws.
 */
export function createFileSpool(options: FileSpoolOptions): EventStore {
  const directory = String(options.directory);
  const maxBytes = positiveOr(options.maxBytes, DEFAULT_SPOOL_MAX_BYTES);
  const maxAgeMs = positiveOr(options.maxAgeMs, DEFAULT_SPOOL_MAX_AGE_MS);
  const maxFiles = positiveOr(options.maxFiles, DEFAULT_SPOOL_MAX_FILES);
  const diagnostics = (): Diagnostics => options.diagnostics ?? getDiagnostics();
  let sequence = 0;
  /** Calls of `clear()`: a load that sees it change stops and writes nothing back. */
  let clears = 0;

  const usage = (): { bytes: number; files: number } => {
    let bytes = 0;
    let files = 0;
    for (const name of readdirSync(directory)) {
      if (!SPOOL_FILE.test(name) && !CLAIMED_FILE.test(name)) continue;
      try {
        bytes += statSync(join(directory, name)).size;
        files++;
      } catch {
        // Claimed or removed by a loader in the meantime.
      }
    }
    return { bytes, files };
  };

  /** The events of a claimed file, or `undefined` when it has none to give (unreadable, corrupt, expired). */
  const read = async (claimed: string, name: string, now: number, onExpired: ((count: number) => void) | undefined): Promise<SpoolFile | undefined> => {
    let parsed: SpoolFile | undefined;
    try {
      parsed = parseSpoolFile(await readFile(claimed, 'utf8'));
    } catch (error) {
      diagnostics().warn('telemetry/spool-read', `telemetry spool: could not read ${name}: ${describeError(error)}`, `spool-read:${name}`);
      return undefined;
    }
    if (parsed === undefined) {
      diagnostics().warn('telemetry/spool-corrupt', `telemetry spool: skipped unreadable file ${name}`, `spool-corrupt:${name}`);
      return undefined;
    }
    if (now - parsed.savedAt <= maxAgeMs) return parsed;
    try {
      onExpired?.(parsed.events.length);
    } catch (error) {
      diagnostics().internalError(error, 'telemetry.spool.onExpired');
    }
    return undefined;
  };

  /** Puts what `take` left back under the file's own name (a crash meanwhile leaves the claim, loaded again next run). */
  const putBack = async (claimed: string, original: string, file: SpoolFile, taken: number): Promise<void> => {
    try {
      if (taken === 0) {
        await rename(claimed, join(directory, original));
        return;
      }
      const temp = join(directory, `.tmp-${original}-${process.pid}-${sequence++}`);
      await writeFile(temp, JSON.stringify({ ...file, events: file.events.slice(taken) } satisfies SpoolFile), { mode: 0o600 });
      await rename(temp, join(directory, original));
      await unlink(claimed);
    } catch (error) {
      diagnostics().warn('telemetry/spool-write', `telemetry spool: could not write to ${directory}: ${describeError(error)}`, `spool-write:${directory}`);
    }
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

    async load(onExpired, take) {
      const out: TelemetryEvent[] = [];
      // Without `take`, files whose events are in `out`: removed once every file is read.
      const returned: string[] = [];
      let names: string[];
      try {
        names = await readdir(directory);
      } catch {
        return out; // No spool yet.
      }
      const now = Date.now();
      const generation = clears;
      for (const name of names.sort()) {
        if (clears !== generation) break;
        const path = join(directory, name);
        if (TEMP_FILE.test(name)) {
          await removeIfOlder(path, now - STALE_TEMP_MS);
          continue;
        }
        const original = SPOOL_FILE.test(name) ? name : staleClaimOf(name, now);
        if (original === undefined) continue;
        const claimed = join(directory, `${original}.claimed-${claimOwner()}-${now}-${sequence++}`);
        try {
          await rename(path, claimed);
        } catch {
          continue; // Another process took it.
        }
        const file = await read(claimed, name, now, onExpired);
        if (file === undefined || clears !== generation) {
          await unlink(claimed).catch(() => undefined);
          continue;
        }
        if (take === undefined) {
          for (const event of file.events) out.push(event);
          returned.push(claimed);
          continue;
        }
        const taken = handOver(take, file.events, diagnostics);
        if (taken >= file.events.length || clears !== generation) {
          await unlink(claimed).catch(() => undefined);
          continue;
        }
        // The queue is full: the rest stays in the spool for a later load.
        await putBack(claimed, original, file, taken);
        break;
      }
      await Promise.all(returned.map((claimed) => unlink(claimed).catch(() => undefined)));
      return out;
    },

    async clear() {
      clears++;
      let names: string[];
      try {
        names = await readdir(directory);
      } catch {
        return;
      }
      const spooled = (n: string): boolean => SPOOL_FILE.test(n) || CLAIMED_FILE.test(n) || TEMP_FILE.test(n);
      await Promise.all(names.filter(spooled).map((n) => unlink(join(directory, n)).catch(() => undefined)));
    },
  };
}

/** Calls `take`, guarded: how many of `events` it took from the front (0 when it threw). */
function handOver(take: (events: readonly TelemetryEvent[]) => number, events: readonly TelemetryEvent[], diagnostics: () => Diagnostics): number {
  try {
    const taken = take(events);
    return typeof taken === 'number' && taken > 0 ? Math.min(Math.floor(taken), events.length) : 0;
  } catch (error) {
    diagnostics().internalError(error, 'telemetry.spool.take');
    return 0;
  }
}

/** This process in a claim: its pid and when it started, so a later process with the same pid tells the claim is not its own. */
function claimOwner(): string {
  return `${process.pid}-${Math.round(performance.timeOrigin)}`;
}

/**
 * The spool file a claimed file was, when its loader is gone: the claim is older than an hour, or
 * its pid is this process's but not its start (an earlier run), or no process has its pid.
 */
function staleClaimOf(name: string, now: number): string | undefined {
  const match = CLAIMED_FILE.exec(name);
  if (match === null) return undefined;
  const [, original, pidText, rest = ''] = match;
  const pid = Number(pidText);
  const [started, claimedAt] = rest.split('-');
  if (claimedAt !== undefined && now - Number(claimedAt) > STALE_TEMP_MS) return original;
  if (pid === process.pid) {
    // This process's own claim (a load running now) names its start; an old-style claim never does.
    return claimedAt !== undefined && `${pid}-${started}` === claimOwner() ? undefined : original;
  }
  return isAlive(pid) ? undefined : original;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
