// Spool folders for tests: files written the way createFileSpool writes them, and what is in them.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryEvent } from '@lookout/telemetry';

export const spoolDir = (): string => mkdtempSync(join(tmpdir(), 'lookout-spool-'));

/** A valid event with id `id`. */
export function storedEvent(id: string, timestamp = Date.now()): TelemetryEvent {
  return { id, name: 'stored', timestamp, sessionId: 's1', appVersion: '1.0.0', platform: 'node', properties: { id } };
}

/**
 * Writes `files` spool files of `perFile` events each into `directory` (named as the spool names
 * them, oldest first, or `name(i)`); returns every event id (`<file>#<n>`), in order.
 */
export function seedSpool(directory: string, files: number, perFile: number, name = (i: number) => `spool-${String(1_000 + i).padStart(15, '0')}-1-${i}.json`): string[] {
  const ids: string[] = [];
  for (let f = 0; f < files; f++) {
    const file = name(f);
    const events = Array.from({ length: perFile }, (_, i) => storedEvent(`${file}#${i}`));
    ids.push(...events.map((e) => e.id));
    writeFileSync(join(directory, file), JSON.stringify({ v: 1, savedAt: Date.now(), events }));
  }
  return ids;
}

/** Every file in the spool folder with the ids of its events (`undefined` for a file that is not a spool file). */
export function spoolContents(directory: string): Array<{ name: string; ids: string[] | undefined }> {
  return readdirSync(directory)
    .sort()
    .map((name) => {
      try {
        const file = JSON.parse(readFileSync(join(directory, name), 'utf8')) as { events: TelemetryEvent[] };
        return { name, ids: file.events.map((e) => e.id) };
      } catch {
        return { name, ids: undefined };
      }
    });
}
