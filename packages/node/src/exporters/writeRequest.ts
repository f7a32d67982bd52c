// Prometheus remote write 1.0: the `prometheus.WriteRequest` protobuf
// (https://github.com/prometheus/prometheus/blob/main/prompb/remote.proto and types.proto),
// encoded by hand so that no protobuf runtime is loaded.
//
//   WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
//   TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label          { string name = 1; string value = 2; }
//   Sample         { double value = 1; int64 timestamp = 2; }   // timestamp in ms
//   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }

/** One series with its samples. Labels include `__name__`; they are sorted by name when encoded. */
export interface RemoteWriteSeries {
  labels: readonly (readonly [string, string])[];
  samples: readonly { value: number; timestampMs: number }[];
}

/** Metadata of one metric family (optional in the protocol; Prometheus shows it in its UI). */
export interface RemoteWriteMetadata {
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | string;
  family: string;
  help: string;
  unit?: string;
}

const METRIC_TYPES: Readonly<Record<string, number>> = { counter: 1, gauge: 2, histogram: 3, gaugehistogram: 4, summary: 5, info: 6, stateset: 7 };

class Writer {
  buf = new Uint8Array(1024);
  pos = 0;
  private readonly _text = new TextEncoder();

  private _room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  varint(value: number): void {
    this._room(10);
    let v = value;
    // Values past 2^31 (millisecond timestamps) need arithmetic, not 32-bit shifts.
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this._room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, value, true);
    this.pos += 8;
  }

  string(field: number, value: string): void {
    const bytes = this._text.encode(value);
    this.tag(field, 2);
    this.varint(bytes.length);
    this._room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes a length-delimited sub-message built by `body`. */
  message(field: number, body: () => void): void {
    this.tag(field, 2);
    // Reserve a 5-byte length, write the body, then move it back over the unused length bytes.
    this._room(5);
    const lengthAt = this.pos;
    this.pos += 5;
    body();
    const length = this.pos - lengthAt - 5;
    const lengthBytes = varintLength(length);
    this.buf.copyWithin(lengthAt + lengthBytes, lengthAt + 5, this.pos);
    this.pos -= 5 - lengthBytes;
    let v = length;
    for (let i = 0; i < lengthBytes; i++) {
      this.buf[lengthAt + i] = (v & 0x7f) | (i < lengthBytes - 1 ? 0x80 : 0);
      v >>>= 7;
    }
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n >>>= 7;
    len++;
  }
  return len;
}

function byName(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Encodes a WriteRequest (not yet compressed). Labels are sorted by name, as receivers require. */
export function encodeWriteRequest(series: readonly RemoteWriteSeries[], metadata: readonly RemoteWriteMetadata[] = []): Uint8Array {
  const w = new Writer();
  for (const s of series) {
    w.message(1, () => {
      for (const [name, value] of [...s.labels].sort(byName)) {
        w.message(1, () => {
          w.string(1, name);
          w.string(2, value);
        });
      }
      for (const sample of s.samples) {
        w.message(2, () => {
          w.double(1, sample.value);
          w.tag(2, 0);
          w.varint(Math.max(0, Math.round(sample.timestampMs)));
        });
      }
    });
  }
  for (const m of metadata) {
    w.message(3, () => {
      w.tag(1, 0);
      w.varint(METRIC_TYPES[m.type] ?? 0);
      w.string(2, m.family);
      if (m.help !== '') w.string(4, m.help);
      if (m.unit !== undefined && m.unit !== '') w.string(5, m.unit);
    });
  }
  return w.bytes();
}
