import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/**
 * The prototype every `FileHandle` shares, so a test can make `write` or `datasync` fail the
 * way a full or failing disk would (Node does not export the class; `close` is set on each
 * handle, not here).
 */
export async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await open(process.execPath, 'r');
  try {
    return Object.getPrototypeOf(handle) as FileHandle;
  } finally {
    await handle.close();
  }
}

/** An error shaped like the one Node raises for `code` (`ENOSPC`, `EIO` …). */
export function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated by the test`), { code });
}
