import type { StackFrame } from '../types.js';

/** Longest stack string parsed; the rest of a huge stack is ignored. */
export const MAX_STACK_STRING_LENGTH = 65_536;
/** Longest stack line looked at. */
const MAX_LINE_LENGTH = 1024;

/** A SpiderMonkey/JavaScriptCore frame: `fn@location:line[:col]`, the function part without `:`. */
const AT_FRAME = /^([^@:]*)@(.+):(\d+)(?::(\d+))?$/;

/**
 * Parses a V8 (`    at fn (file:1:2)`) or SpiderMonkey/JavaScriptCore (`fn@file:1:2`) stack
 * string into frames, innermost first, stopping after `maxFrames`. Lines that are not frames
 * are skipped: the `Name: message` header and its continuation lines never become frames, even
 * when the message looks like one (`… redis://user:pw@host:6379`). Give the error's `message`
 * so a header that spans lines is skipped whole. A stack with any V8 line (`at …`) is read as
 * V8 only. Linear in the input; never throws.
 */
export function parseStack(stack: string | undefined, maxFrames: number, isInApp: (filename: string) => boolean, message?: string): StackFrame[] {
  const frames: StackFrame[] = [];
  if (typeof stack !== 'string') return frames;
  const lines = withoutHeader(stack.slice(0, MAX_STACK_STRING_LENGTH), message).split('\n');
  const v8 = lines.some((raw) => raw.trimStart().startsWith('at '));
  for (const raw of lines) {
    if (!(frames.length < maxFrames)) break;
    const line = raw.slice(0, MAX_LINE_LENGTH).trim();
    let fn: string | undefined;
    let loc: string;
    if (line.startsWith('at ')) {
      loc = line.slice(3);
      const open = loc.indexOf(' (');
      if (open !== -1 && loc.endsWith(')')) {
        fn = loc.slice(0, open);
        loc = loc.slice(open + 2, -1);
      }
    } else {
      const at = v8 ? null : AT_FRAME.exec(line);
      if (!at) continue;
      fn = at[1];
      loc = line.slice((fn ?? '').length + 1);
    }
    frames.push(makeFrame(fn, loc, isInApp));
  }
  return frames;
}

/** The stack after its `Name: message` header (V8 and JSC-style stacks start with it), when the message is known. */
function withoutHeader(stack: string, message: string | undefined): string {
  if (typeof message !== 'string' || message === '') return stack;
  if (stack.startsWith(message)) return stack.slice(message.length);
  const at = stack.indexOf(`: ${message}`);
  // The header is `Name: message`: nothing but the name (no line break) before the message.
  if (at === -1 || stack.slice(0, at).includes('\n')) return stack;
  return stack.slice(at + 2 + message.length);
}

/**
 * Runs every string field of each frame (function name, file name) through `redactString`, in
 * place: a URL with `user:password@host`, or an address in a function name, never leaves
 * unscrubbed. Returns the frames.
 */
export function redactFrames(frames: StackFrame[], redactString: (text: string) => string): StackFrame[] {
  for (const f of frames) {
    if (f.function !== undefined) f.function = redactString(f.function);
    if (f.filename !== undefined) f.filename = redactString(f.filename);
  }
  return frames;
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
  // V8's `async ` and Firefox's `async*` say whether an await happened before, not where: the
  // same frame with and without them must group alike.
  const name = fn?.trim().replace(/^async[ *]/, '');
  if (name) frame.function = name;
  // `Promise.all (index 2)`: a built-in, and the position of the failing promise is no location.
  if (/^index \d+$/.test(loc)) {
    frame.filename = '<native>';
    return frame;
  }
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
    try {
      frame.inApp = isInApp(filename) === true;
    } catch {
      frame.inApp = defaultIsInApp(filename);
    }
  }
  return frame;
}

/**
 * Default in-app rule: not a dependency (`node_modules`), not a Node internal (`node:`,
 * `internal/`), not native or anonymous code, not Lookout itself.
 */
export function defaultIsInApp(filename: string): boolean {
  return !(
    /\/node_modules\/|\\node_modules\\|\/@lookout\//.test(filename) ||
    filename.startsWith('node:') ||
    filename.startsWith('internal/') ||
    filename === 'native' ||
    filename.startsWith('<')
  );
}
