import type { StackFrame } from '../types.js';

/** Longest stack string parsed; the rest of a huge stack is ignored. */
export const MAX_STACK_STRING_LENGTH = 65_536;
/** Longest stack line looked at. */
const MAX_LINE_LENGTH = 1024;

/**
 * Parses a V8 (`    at fn (file:1:2)`) or SpiderMonkey/JavaScriptCore (`fn@file:1:2`) stack
 * string into frames, innermost first, stopping after `maxFrames`. Lines that are not frames
 * (the `Name: message` header, message continuation lines) are skipped. Linear in the input;
 * never throws.
 */
export function parseStack(stack: string | undefined, maxFrames: number, isInApp: (filename: string) => boolean): StackFrame[] {
  const frames: StackFrame[] = [];
  if (typeof stack !== 'string' || stack.length === 0) return frames;
  const text = stack.length > MAX_STACK_STRING_LENGTH ? stack.slice(0, MAX_STACK_STRING_LENGTH) : stack;
  let start = 0;
  while (start < text.length && frames.length < maxFrames) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const frame = parseLine(text.slice(start, Math.min(end, start + MAX_LINE_LENGTH)), isInApp);
    if (frame !== undefined) frames.push(frame);
    start = end + 1;
  }
  return frames;
}

function parseLine(raw: string, isInApp: (filename: string) => boolean): StackFrame | undefined {
  const line = raw.trim();
  if (line.startsWith('at ')) {
    const rest = line.slice(3);
    const open = rest.indexOf(' (');
    if (open !== -1 && rest.endsWith(')')) {
      return makeFrame(rest.slice(0, open), rest.slice(open + 2, -1), isInApp);
    }
    return makeFrame(undefined, rest, isInApp);
  }
  const at = line.indexOf('@');
  if (at !== -1 && /:\d+(?::\d+)?$/.test(line)) return makeFrame(line.slice(0, at), line.slice(at + 1), isInApp);
  return undefined;
}

function makeFrame(fn: string | undefined, location: string, isInApp: (filename: string) => boolean): StackFrame {
  let loc = location;
  // `eval at outer (file:1:2), <anonymous>:3:4`: the eval's origin is the useful location.
  if (loc.startsWith('eval at ')) {
    const open = loc.indexOf('(');
    const close = loc.indexOf(')', open);
    loc = open !== -1 && close !== -1 ? loc.slice(open + 1, close) : '<eval>';
  }
  const frame: StackFrame = { inApp: false };
  const name = fn?.trim();
  if (name) frame.function = name;
  const colSep = loc.lastIndexOf(':');
  const lineSep = colSep > 0 ? loc.lastIndexOf(':', colSep - 1) : -1;
  const col = colSep !== -1 ? Number(loc.slice(colSep + 1)) : NaN;
  const ln = lineSep !== -1 ? Number(loc.slice(lineSep + 1, colSep)) : NaN;
  let filename = loc;
  if (Number.isInteger(ln) && Number.isInteger(col) && lineSep > 0) {
    filename = loc.slice(0, lineSep);
    frame.lineno = ln;
    frame.colno = col;
  } else if (Number.isInteger(col) && colSep > 0) {
    filename = loc.slice(0, colSep);
    frame.lineno = col;
  }
  if (filename.startsWith('file://')) filename = filename.slice(7);
  // Query strings and fragments can carry tokens, and never help grouping.
  const cut = filename.search(/[?#]/);
  if (cut > 0) filename = filename.slice(0, cut);
  if (filename) {
    frame.filename = filename;
    frame.inApp = safeInApp(isInApp, filename);
  }
  return frame;
}

function safeInApp(isInApp: (filename: string) => boolean, filename: string): boolean {
  try {
    return isInApp(filename) === true;
  } catch {
    return defaultIsInApp(filename);
  }
}

/**
 * Default in-app rule: not a dependency (`node_modules`), not a Node internal (`node:`,
 * `internal/`), not native or anonymous code, not Lookout itself.
 */
export function defaultIsInApp(filename: string): boolean {
  return !(
    filename.includes('/node_modules/') ||
    filename.includes('\\node_modules\\') ||
    filename.startsWith('node:') ||
    filename.startsWith('internal/') ||
    filename === 'native' ||
    filename === '<anonymous>' ||
    filename.startsWith('<') ||
    filename.includes('/@lookout/')
  );
}
