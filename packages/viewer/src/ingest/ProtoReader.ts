/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads protobuf wire format: just what decoding OTLP requests needs (varints, fixed 32/64-bit,
 * doubles, length-delimited fields). Bounds are checked on every read; a truncated or malformed
 * body throws a `RangeError`, which the caller turns into a 400.
 */
export class ProtoReader {
  pos: number;
  private readonly _view: DataView;

  constructor(
    private readonly _buf: Uint8Array,
    start = 0,
    readonly end = _buf.length,
  ) {
    this.pos = start;
    this._view = new DataView(_buf.buffer, _buf.byteOffset, _buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** Field number and wire type of the next field. */
  tag(): [field: number, wire: number] {
    const t = this.varint();
    return [Math.floor(t / 8), t % 8];
  }

  /** An unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const b = this._buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new RangeError('varint too long');
  }

  /** A varint read as a signed 64-bit integer (int64), as a number (exact up to 2^53 in magnitude). */
  int64(): number {
    const start = this.pos;
    const small = this.varint();
    if (this.pos - start < 8) return small;
    // Long varints (large or negative values) are re-read exactly with BigInt.
    let v = 0n;
    for (let i = this.pos - 1; i >= start; i--) v = (v << 7n) | BigInt(this._buf[i]! & 0x7f);
    return Number(BigInt.asIntN(64, v));
  }

  fixed64(): number {
    this._need(8);
    const lo = this._view.getUint32(this.pos, true);
    const hi = this._view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 2 ** 32 + lo;
  }

  sfixed64(): number {
    this._need(8);
    const value = Number(this._view.getBigInt64(this.pos, true));
    this.pos += 8;
    return value;
  }

  double(): number {
    this._need(8);
    const value = this._view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    this._need(4);
    const value = this._view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** A reader over the next length-delimited field (an embedded message). */
  message(): ProtoReader {
    const len = this.varint();
    this._need(len);
    const sub = new ProtoReader(this._buf, this.pos, this.pos + len);
    this.pos += len;
    return sub;
  }

  bytes(): Uint8Array {
    const len = this.varint();
    this._need(len);
    const out = this._buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    return decoder.decode(this.bytes());
  }

  /** Reads a repeated fixed64 or double field, packed or not. */
  packed(wire: number, read: (r: ProtoReader) => number, out: number[]): void {
    if (wire !== WIRE_LEN) {
      out.push(read(this));
      return;
    }
    const sub = this.message();
    while (!sub.done()) out.push(read(sub));
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this._need(8);
        this.pos += 8;
        return;
      case WIRE_LEN: {
        const len = this.varint();
        this._need(len);
        this.pos += len;
        return;
      }
      case WIRE_FIXED32:
        this._need(4);
        this.pos += 4;
        return;
      default:
        throw new RangeError(`unsupported wire type ${wire}`);
    }
  }

  private _need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('truncated field');
  }
}
