import { readdirSync } from 'node:fs';

/** Payload files in a spool folder (temporary files excluded); none when the folder does not exist. */
export function spooledFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}
