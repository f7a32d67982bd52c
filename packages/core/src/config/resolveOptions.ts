import { getDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { LookoutConfigError } from './LookoutConfigError.js';
import type { ConfigIssue } from './LookoutConfigError.js';

export { LookoutConfigError };
export type { ConfigIssue };


/**
 * `options` is always set when `ok`; when not, it holds the input with every invalid field
 * replaced by its default, or is undefined when even the defaults do not parse (a schema with
 * required fields whose value was missing or invalid).
 */
export type ResolveResult<T> = { ok: true; options: T } | { ok: false; options: T | undefined; issues: ConfigIssue[] };


/** An issue as zod reports it; `keys` lists unknown keys for `unrecognized_keys`. */
export interface SchemaIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
}

/** The part of a zod (or zod/mini) schema this helper needs. */
export interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

export interface ResolveContext {
  /** Names the component in messages, e.g. `startPrometheusServer`. */
  component: string;
  diagnostics?: Diagnostics;
  /** Throw {@link LookoutConfigError} instead of correcting. Default: `input.strict === true`. */
  strict?: boolean;
}

const MAX_PASSES = 8;

/**
 * Validates host options against a schema, the one way every Lookout package resolves options:
 * each invalid field gets one diagnostic naming its path and falls back to its default (the
 * field is removed and the rest parsed again); with `strict`, a {@link LookoutConfigError} is
 * thrown instead. Never throws otherwise.
 */
export function resolveOptions<T>(schema: SafeParser<T>, input: unknown, context: ResolveContext): ResolveResult<T> {
  const diag = context.diagnostics ?? getDiagnostics();
  const strict = context.strict ?? (isRecord(input) && input.strict === true);
  let current: unknown = input === undefined ? {} : input;
  const issues: ConfigIssue[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let result: ReturnType<SafeParser<T>['safeParse']>;
    try {
      result = schema.safeParse(current);
    } catch {
      // The input could not even be read (hostile getters or proxies): start again from defaults.
      issues.push({ path: '', message: 'could not be read' });
      diag.warn('config.invalid', `${context.component}: the options could not be read; the defaults are used`, `${context.component}\u0000unreadable`);
      if (strict) throw new LookoutConfigError(context.component, issues);
      current = {};
      continue;
    }
    if (result.success) {
      if (issues.length === 0) return { ok: true, options: result.data };
      return { ok: false, options: result.data, issues };
    }
    const found = result.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys' && i.keys !== undefined
        ? i.keys.map((k) => ({ path: [...i.path, k].map(String).join('.'), message: 'unknown option' }))
        : [{ path: i.path.map(String).join('.'), message: i.message }],
    );
    if (strict) throw new LookoutConfigError(context.component, found);
    for (const issue of found) {
      issues.push(issue);
      diag.warn('config.invalid', `${context.component}: ${issue.path || '(options)'}: ${issue.message}; the default is used`, `${context.component}\u0000${issue.path}`);
    }
    current = withoutPaths(
      current,
      result.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' && i.keys !== undefined ? i.keys.map((k) => [...i.path, k]) : [i.path])),
    );
  }
  const fallback = schema.safeParse({});
  return { ok: false, options: fallback.success ? fallback.data : undefined, issues };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A copy of `input` without the values at `paths` (the whole input when a path is empty). */
function withoutPaths(input: unknown, paths: readonly (readonly PropertyKey[])[]): unknown {
  if (!isRecord(input)) return {};
  let copy: Record<string, unknown> = { ...input };
  for (const path of paths) {
    if (path.length === 0) return {};
    copy = removePath(copy, path) as Record<string, unknown>;
  }
  return copy;
}

function removePath(node: unknown, path: readonly PropertyKey[]): unknown {
  if (!isRecord(node) && !Array.isArray(node)) return node;
  const [head, ...rest] = path;
  const key = String(head);
  if (Array.isArray(node)) {
    const arr = [...node];
    if (rest.length === 0) arr.splice(Number(key), 1);
    else arr[Number(key)] = removePath(arr[Number(key)], rest);
    return arr;
  }
  const copy = { ...node };
  if (rest.length === 0) delete copy[key];
  else copy[key] = removePath(copy[key], rest);
  return copy;
}

/** How {@link resolveChanges} reports and what it refuses. */
export interface ChangesContext {
  /** Names the method in messages, e.g. `ErrorTracker.configure`. */
  component: string;
  /** Diagnostic code of every refusal, e.g. `errors/invalid-changes`. */
  code: string;
  diagnostics: Diagnostics;
  /** Options set once at creation: refused, with one diagnostic each. */
  fixed: readonly string[];
  /** Options whose `false` turns a part off: taken as they are, before the schema sees the rest. */
  switches?: readonly string[];
}

/**
 * Validates run-time changes (`configure()`), the counterpart of {@link resolveOptions}: each
 * option fixed at creation, unknown option and invalid value gets one diagnostic and is left out,
 * so its **current** value stays (not its default); whatever is valid is returned, with `false`
 * for the switches turned off. Never throws.
 */
export function resolveChanges<T>(schema: SafeParser<T>, input: unknown, context: ChangesContext): Partial<T> {
  const { component, code, diagnostics, fixed, switches = [] } = context;
  const warn = (path: string, message: string): void =>
    diagnostics.warn(code, `${component}: ${path}: ${message}; the current value is kept`, `${component}\u0000${path}\u0000${message}`);
  if (!isRecord(input)) {
    warn('(changes)', 'must be an object');
    return {};
  }
  let pending: Record<string, unknown> = {};
  const off: Record<string, false> = {};
  try {
    for (const [key, value] of Object.entries(input)) {
      if (fixed.includes(key)) warn(key, 'is fixed at creation');
      else if (value === false && switches.includes(key)) off[key] = false;
      else pending[key] = value;
    }
  } catch {
    warn('(changes)', 'could not be read');
    return {};
  }
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let result: ReturnType<SafeParser<T>['safeParse']>;
    try {
      result = schema.safeParse(pending);
    } catch {
      warn('(changes)', 'could not be read');
      return off as Partial<T>;
    }
    if (result.success) return { ...result.data, ...off };
    const paths = result.error.issues.flatMap((issue) => {
      const found = issue.code === 'unrecognized_keys' && issue.keys !== undefined ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of found) warn(path.map(String).join('.') || '(changes)', issue.code === 'unrecognized_keys' ? 'unknown option' : issue.message);
      return found;
    });
    pending = withoutPaths(pending, paths) as Record<string, unknown>;
  }
  return off as Partial<T>;
}
