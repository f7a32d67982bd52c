// The snappy block format (https://github.com/google/snappy/blob/main/format_description.txt),
// which Prometheus remote write requires for its bodies. Only the encoder ships; it finds
// 4-byte matches through a hash table over 64 KiB fragments, as the reference implementation does,
// so every copy offset fits the 2-byte form.

const FRAGMENT_BYTES = 1 << 16;
const HASH_BITS = 14;
const MIN_MATCH = 4;
/** Keeps the last bytes of a fragment as literals, so a 4-byte read never runs past its end. */
const INPUT_MARGIN = 15;

/** Compresses `input` into one snappy block (uncompressed length varint, then literals and copies). */
export function snappyEncode(input: Uint8Array): Uint8Array {
  // Worst case (snappy's MaxCompressedLength): 32 + n + n/6.
  const out = new Uint8Array(32 + input.length + Math.ceil(input.length / 6));
  let o = writeVarint(out, 0, input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += FRAGMENT_BYTES) {
    const end = Math.min(start + FRAGMENT_BYTES, input.length);
    o = compressFragment(input, start, end, out, o, table);
  }
  return out.subarray(0, o);
}

function compressFragment(src: Uint8Array, start: number, end: number, out: Uint8Array, o: number, table: Int32Array): number {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN) {
    table.fill(-1);
    const limit = end - INPUT_MARGIN;
    let i = start + 1;
    let skip = 32;
    while (i <= limit) {
      const h = hash(load32(src, i));
      const candidate = table[h]!;
      table[h] = i;
      if (candidate >= start && load32(src, candidate) === load32(src, i)) {
        o = emitLiteral(src, nextEmit, i, out, o);
        let len = MIN_MATCH;
        while (i + len < end && src[candidate + len] === src[i + len]) len++;
        o = emitCopy(out, o, i - candidate, len);
        i += len;
        nextEmit = i;
        skip = 32;
        if (i <= limit) table[hash(load32(src, i - 1))] = i - 1;
      } else {
        // Incompressible data is skipped over faster and faster, as the reference encoder does.
        i += skip++ >> 5;
      }
    }
  }
  return emitLiteral(src, nextEmit, end, out, o);
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function load32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function emitLiteral(src: Uint8Array, from: number, to: number, out: Uint8Array, o: number): number {
  const len = to - from;
  if (len === 0) return o;
  const n = len - 1;
  if (n < 60) {
    out[o++] = n << 2;
  } else {
    const bytes = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4;
    out[o++] = (59 + bytes) << 2;
    for (let k = 0; k < bytes; k++) out[o++] = (n >>> (8 * k)) & 0xff;
  }
  out.set(src.subarray(from, to), o);
  return o + len;
}

function emitCopy(out: Uint8Array, o: number, offset: number, len: number): number {
  // Copies of 2-byte offset carry 1–64 bytes; longer matches are split so no piece is under 4.
  while (len >= 68) {
    o = copy2(out, o, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    o = copy2(out, o, offset, 60);
    len -= 60;
  }
  if (len >= 4 && len <= 11 && offset < 2048) {
    out[o++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[o++] = offset & 0xff;
    return o;
  }
  return copy2(out, o, offset, len);
}

function copy2(out: Uint8Array, o: number, offset: number, len: number): number {
  out[o++] = 2 | ((len - 1) << 2);
  out[o++] = offset & 0xff;
  out[o++] = (offset >>> 8) & 0xff;
  return o;
}

function writeVarint(out: Uint8Array, o: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    out[o++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[o++] = v;
  return o;
}
