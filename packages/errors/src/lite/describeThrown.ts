/** Longest message of a lite error, in characters. */
export const MAX_LITE_MESSAGE_LENGTH = 1024;
/** Longest stack of a lite error, in characters. */
export const MAX_LITE_STACK_LENGTH = 8192;
/** Most distinct errors a rate gate tracks; past it the table starts afresh. */
const MAX_GATED_ERRORS = 100;

/** How an error arrived: the page's `error` event, its `unhandledrejection` event, or the host. */
export type LiteMechanism = 'onerror' | 'unhandledRejection' | 'manual';

/** What the lite capture reads from a thrown value: the page capture's fields, less parsed frames and fingerprint. */
export interface LiteError {
  type: string;
  message: string;
  /** The stack as the browser wrote it, cut to 8192 characters; `''` when there is none. */
  stack: string;
  category: 'javascript' | 'network';
  severity: 'high';
  mechanism: LiteMechanism;
  /** `true` for `manual` captures. */
  handled: boolean;
}

const NETWORK_MESSAGE = /^(?:Failed to fetch|NetworkError when attempting|Load failed|fetch failed)/;

/** `value[key]`; a throwing getter or revoked proxy gives `undefined`. */
const read = (value: unknown, key: string): unknown => {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
};
const text = (value: unknown): string | undefined => (typeof value == 'string' ? value : undefined);

/**
 * Type, message and stack of anything thrown, for pages where every kilobyte counts: Errors and
 * objects with a string `message` give theirs, strings become the message of an `Error`, other
 * values are named by their type (`NonError`, "number was thrown"). Network failures of `fetch`
 * are categorised `network`. Message and stack go through `scrub` (core's `scrubString`, say;
 * default: kept as is) before they are cut to their limits, so a secret at the cut is still
 * recognised; only the first 4× the limit is scrubbed, to bound the cost. Never throws, unless
 * `scrub` does.
 */
export function describeThrown(thrown: unknown, mechanism: LiteMechanism, scrub: (text: string) => string = String): LiteError {
  const fit = (t: string, max: number): string => scrub(t.slice(0, 4 * max)).slice(0, max);
  const message = text(read(thrown, 'message'));
  const errorLike = typeof thrown == 'object' && thrown !== null && message !== undefined;
  const said = errorLike ? message : typeof thrown == 'string' ? thrown : `${thrown === null ? 'null' : typeof thrown} was thrown`;
  const type = ((errorLike && text(read(thrown, 'name'))) || (errorLike || typeof thrown == 'string' ? 'Error' : 'NonError')).slice(0, 128);
  return {
    type,
    message: fit(said, MAX_LITE_MESSAGE_LENGTH),
    stack: fit((errorLike && text(read(thrown, 'stack'))) || '', MAX_LITE_STACK_LENGTH),
    category: NETWORK_MESSAGE.test(said) || /^(?:Abort|Timeout|Network)Error$/.test(type) ? 'network' : 'javascript',
    severity: 'high',
    mechanism,
    handled: mechanism == 'manual',
  };
}

/**
 * A rate gate per error key: `true` for the first `perMinute` of each key in a fixed one-minute
 * window, then `false` until the window ends. Bounded: past 100 keys it starts afresh.
 */
export function createRateGate(perMinute: number): (key: string) => boolean {
  let seen = new Map<string, [start: number, count: number]>();
  return (key) => {
    const now = Date.now();
    let entry = seen.get(key);
    if (!entry || now - entry[0] >= 60_000 || now < entry[0]) {
      if (seen.size >= MAX_GATED_ERRORS) seen = new Map();
      seen.set(key, (entry = [now, 0]));
    }
    return ++entry[1] <= perMinute;
  };
}

type Listener = (event: unknown) => void;

/**
 * Calls `onThrown` with what the page's `error` and `unhandledrejection` events carry (a
 * cross-origin `Script error.` becomes a `ScriptError`); the page's own handlers and console
 * output are untouched. Returns a function that removes the listeners. Outside a page, does nothing.
 */
export function watchPageErrors(onThrown: (thrown: unknown, mechanism: LiteMechanism) => void): () => void {
  const g = globalThis as { addEventListener?(type: string, listener: Listener): void; removeEventListener?(type: string, listener: Listener): void };
  const listener: Listener = (event) => {
    if (read(event, 'type') == 'unhandledrejection') return onThrown(read(event, 'reason'), 'unhandledRejection');
    onThrown(read(event, 'error') ?? { name: 'ScriptError', message: text(read(event, 'message')) || 'Script error.' }, 'onerror');
  };
  const types = ['error', 'unhandledrejection'];
  for (const type of types) g.addEventListener?.(type, listener);
  return () => {
    for (const type of types) g.removeEventListener?.(type, listener);
  };
}
