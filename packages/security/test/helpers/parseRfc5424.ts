/**
 * A strict parser of RFC 5424 section 6 (ABNF), written for the tests: it throws on anything
 * the grammar does not allow, so a message it accepts is well-formed.
 */
export interface Rfc5424Message {
  pri: number;
  facility: number;
  severity: number;
  version: number;
  timestamp: string | null;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  structuredData: Array<{ id: string; params: Array<[string, string]> }>;
  msg: string | null;
  bom: boolean;
}

const SP = 0x20;

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  fail(what: string): never {
    throw new Error(`RFC 5424: ${what} at byte ${this.pos}`);
  }
  peek(): number | undefined {
    return this.bytes[this.pos];
  }
  expect(byte: number, what: string): void {
    if (this.bytes[this.pos] !== byte) this.fail(`expected ${what}`);
    this.pos++;
  }
  digits(min: number, max: number, what: string): string {
    let s = '';
    while (s.length < max && this.peek() !== undefined && (this.peek() as number) >= 0x30 && (this.peek() as number) <= 0x39) {
      s += String.fromCharCode(this.bytes[this.pos++] as number);
    }
    if (s.length < min) this.fail(`expected ${min}-${max} digits for ${what}`);
    return s;
  }
  /** NILVALUE / 1*max PRINTUSASCII (33-126), terminated by SP. */
  token(max: number, what: string, exclude: readonly number[] = []): string | null {
    const start = this.pos;
    while (this.peek() !== undefined && this.peek() !== SP) {
      const c = this.peek() as number;
      if (c < 33 || c > 126 || exclude.includes(c)) this.fail(`invalid character in ${what}`);
      this.pos++;
    }
    const len = this.pos - start;
    if (len === 0) this.fail(`empty ${what}`);
    if (len > max) this.fail(`${what} longer than ${max}`);
    const s = Buffer.from(this.bytes.subarray(start, this.pos)).toString('latin1');
    return s === '-' ? null : s;
  }
}

function timestamp(r: Reader): string | null {
  if (r.peek() === 0x2d && r.bytes[r.pos + 1] === SP) {
    r.pos++;
    return null;
  }
  const start = r.pos;
  const year = r.digits(4, 4, 'DATE-FULLYEAR');
  r.expect(0x2d, '-');
  const month = Number(r.digits(2, 2, 'DATE-MONTH'));
  r.expect(0x2d, '-');
  const day = Number(r.digits(2, 2, 'DATE-MDAY'));
  r.expect(0x54, 'T');
  const hour = Number(r.digits(2, 2, 'TIME-HOUR'));
  r.expect(0x3a, ':');
  const minute = Number(r.digits(2, 2, 'TIME-MINUTE'));
  r.expect(0x3a, ':');
  const second = Number(r.digits(2, 2, 'TIME-SECOND'));
  if (r.peek() === 0x2e) {
    r.pos++;
    r.digits(1, 6, 'TIME-SECFRAC');
  }
  if (r.peek() === 0x5a) r.pos++;
  else if (r.peek() === 0x2b || r.peek() === 0x2d) {
    r.pos++;
    const oh = Number(r.digits(2, 2, 'offset hour'));
    r.expect(0x3a, ':');
    const om = Number(r.digits(2, 2, 'offset minute'));
    if (oh > 23 || om > 59) r.fail('invalid TIME-OFFSET');
  } else r.fail('expected TIME-OFFSET');
  if (Number(year) < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) r.fail('invalid date or time');
  return Buffer.from(r.bytes.subarray(start, r.pos)).toString('latin1');
}

/** SD-NAME = 1*32PRINTUSASCII except '=', SP, ']', %d34. */
function sdName(r: Reader, what: string): string {
  const start = r.pos;
  while (r.peek() !== undefined) {
    const c = r.peek() as number;
    if (c === 0x3d || c === SP || c === 0x5d || c === 0x22) break;
    if (c < 33 || c > 126) r.fail(`invalid character in ${what}`);
    r.pos++;
  }
  const len = r.pos - start;
  if (len < 1 || len > 32) r.fail(`${what} must be 1-32 characters`);
  return Buffer.from(r.bytes.subarray(start, r.pos)).toString('latin1');
}

/** PARAM-VALUE: UTF-8, with '"', '\' and ']' escaped. */
function paramValue(r: Reader): string {
  const out: number[] = [];
  for (;;) {
    const c = r.peek();
    if (c === undefined) r.fail('unterminated PARAM-VALUE');
    if (c === 0x22) break;
    if (c === 0x5d) r.fail('unescaped "]" in PARAM-VALUE');
    if (c === 0x5c) {
      const n = r.bytes[r.pos + 1];
      if (n === 0x22 || n === 0x5c || n === 0x5d) {
        out.push(n);
        r.pos += 2;
        continue;
      }
    }
    out.push(c as number);
    r.pos++;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(out));
}

/** Parses one RFC 5424 message; throws on any deviation from the ABNF. */
export function parseRfc5424(input: Uint8Array | string): Rfc5424Message {
  const r = new Reader(typeof input === 'string' ? Buffer.from(input) : input);
  r.expect(0x3c, '<');
  const prival = r.digits(1, 3, 'PRIVAL');
  const pri = Number(prival);
  if (pri > 191) r.fail('PRIVAL above 191');
  r.expect(0x3e, '>');
  if (r.peek() === 0x30) r.fail('VERSION must start with a non-zero digit');
  const version = Number(r.digits(1, 3, 'VERSION'));
  r.expect(SP, 'SP after VERSION');
  const ts = timestamp(r);
  r.expect(SP, 'SP after TIMESTAMP');
  const hostname = r.token(255, 'HOSTNAME');
  r.expect(SP, 'SP after HOSTNAME');
  const appName = r.token(48, 'APP-NAME');
  r.expect(SP, 'SP after APP-NAME');
  const procId = r.token(128, 'PROCID');
  r.expect(SP, 'SP after PROCID');
  const msgId = r.token(32, 'MSGID');
  r.expect(SP, 'SP after MSGID');
  const structuredData: Rfc5424Message['structuredData'] = [];
  if (r.peek() === 0x2d) r.pos++;
  else {
    if (r.peek() !== 0x5b) r.fail('expected STRUCTURED-DATA');
    while (r.peek() === 0x5b) {
      r.pos++;
      const id = sdName(r, 'SD-ID');
      const params: Array<[string, string]> = [];
      while (r.peek() === SP) {
        r.pos++;
        const name = sdName(r, 'PARAM-NAME');
        r.expect(0x3d, '=');
        r.expect(0x22, '"');
        params.push([name, paramValue(r)]);
        r.expect(0x22, '"');
      }
      r.expect(0x5d, ']');
      structuredData.push({ id, params });
    }
  }
  let msg: string | null = null;
  let bom = false;
  if (r.pos < r.bytes.length) {
    r.expect(SP, 'SP before MSG');
    let rest = r.bytes.subarray(r.pos);
    if (rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) {
      bom = true;
      rest = rest.subarray(3);
      msg = new TextDecoder('utf-8', { fatal: true }).decode(rest);
    } else {
      msg = Buffer.from(rest).toString('utf8');
    }
  }
  return { pri, facility: pri >> 3, severity: pri & 7, version, timestamp: ts, hostname, appName, procId, msgId, structuredData, msg, bom };
}

/** Splits an RFC 6587 octet-counted TCP stream into messages; returns the bytes not yet complete. */
export function splitFrames(stream: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let i = 0;
  for (;;) {
    const sp = stream.indexOf(0x20, i);
    if (sp === -1) break;
    const lenText = stream.subarray(i, sp).toString('latin1');
    if (!/^[1-9][0-9]{0,8}$/.test(lenText)) throw new Error(`RFC 6587: bad MSG-LEN "${lenText}"`);
    const len = Number(lenText);
    if (sp + 1 + len > stream.length) break;
    messages.push(stream.subarray(sp + 1, sp + 1 + len));
    i = sp + 1 + len;
  }
  return { messages, rest: stream.subarray(i) };
}
