/**
 * A typed view of the globals the isomorphic code may use, looked up at call time (never at
 * import) so the same code runs in Node, browsers and workers.
 */
export interface TelemetryGlobals {
  crypto?: { randomUUID?: () => string; getRandomValues?: <T extends Uint8Array>(array: T) => T };
  TextEncoder?: new () => { encode(input: string): Uint8Array };
  document?: unknown;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  navigator?: { userAgent?: string };
  process?: { versions?: { node?: string }; platform?: string; arch?: string };
}

export function globals(): TelemetryGlobals {
  return globalThis as TelemetryGlobals;
}
