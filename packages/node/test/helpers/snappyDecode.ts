/** A snappy block decoder for tests (format_description.txt), strict about every bound. */
export function snappyDecode(input: Uint8Array): Uint8Array {
  let pos = 0;
  let length = 0;
  let shift = 0;
  for (;;) {
    const b = input[pos++]!;
    length += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        len = 0;
        for (let k = 0; k < bytes; k++) len |= input[pos++]! << (8 * k);
      }
      len += 1;
      if (pos + len > input.length || o + len > out.length) throw new Error('literal out of bounds');
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
    } else {
      let len: number;
      let offset: number;
      if (kind === 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | input[pos++]!;
      } else if (kind === 2) {
        len = (tag >>> 2) + 1;
        offset = input[pos]! | (input[pos + 1]! << 8);
        pos += 2;
      } else {
        len = (tag >>> 2) + 1;
        offset = (input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24)) >>> 0;
        pos += 4;
      }
      if (offset === 0 || offset > o || o + len > out.length) throw new Error('copy out of bounds');
      for (let k = 0; k < len; k++) out[o + k] = out[o - offset + k]!;
      o += len;
    }
  }
  if (o !== length) throw new Error(`decoded ${o} bytes, header says ${length}`);
  return out;
}
