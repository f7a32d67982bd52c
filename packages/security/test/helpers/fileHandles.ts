/** An error shaped like the one Node raises for `code` (`ENOSPC`, `EIO` …). */
export function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated by the test`), { code });
}
