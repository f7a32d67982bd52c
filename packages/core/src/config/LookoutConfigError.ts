// Apart from resolveOptions so that zod-free option checks (quickResolve) can throw it without
// bundling the schema-driven resolver.

/** One problem found in host-supplied options. */
export interface ConfigIssue {
  /** Dotted path from the options root, e.g. `exporters.otlp.endpoint`. */
  path: string;
  message: string;
}

/**
 * Thrown at init by `strict: true` when options are invalid; lists every issue. `instanceof`
 * recognises one thrown by any copy of core (the root and `./page` are separate builds, and a
 * process may hold ESM and CJS copies): it checks the name.
 */
export class LookoutConfigError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'LookoutConfigError';
  }
  override readonly name = 'LookoutConfigError';
  constructor(
    readonly component: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${component}: invalid options:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
  }
}
