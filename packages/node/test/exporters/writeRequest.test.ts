import { describe, expect, it } from 'vitest';
import { expositionToWriteRequest } from '../../src/exporters/createRemoteWriter.js';
import { encodeWriteRequest } from '../../src/exporters/writeRequest.js';

/** A minimal protobuf reader: field number → values (varint as number, length-delimited as bytes, fixed64 as double). */
function read(buf: Uint8Array): [number, number | Uint8Array][] {
  const out: [number, number | Uint8Array][] = [];
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return v;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push([field, varint()]);
    else if (wire === 1) {
      out.push([field, new DataView(buf.buffer, buf.byteOffset + pos, 8).getFloat64(0, true)]);
      pos += 8;
    } else if (wire === 2) {
      const len = varint();
      out.push([field, buf.subarray(pos, pos + len)]);
      pos += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
const text = (b: number | Uint8Array): string => new TextDecoder().decode(b as Uint8Array);

describe('encodeWriteRequest', () => {
  describe('time series', () => {
    it('should write labels sorted by name, then the sample value and millisecond timestamp', () => {
      const bytes = encodeWriteRequest([{ labels: [['zeta', 'z'], ['__name__', 'up'], ['Alpha', 'a']], samples: [{ value: 1.5, timestampMs: 1_795_316_879_783 }] }]);
      const [[field, series]] = read(bytes) as [[number, Uint8Array]];
      expect(field).toBe(1);
      const parts = read(series);
      const labels = parts.filter(([f]) => f === 1).map(([, b]) => read(b as Uint8Array).map(([, v]) => text(v)));
      expect(labels).toEqual([['Alpha', 'a'], ['__name__', 'up'], ['zeta', 'z']]);
      const sample = read(parts.find(([f]) => f === 2)![1] as Uint8Array);
      expect(sample).toEqual([[1, 1.5], [2, 1_795_316_879_783]]);
    });

    it('should write metadata with the Prometheus metric type numbers', () => {
      const bytes = encodeWriteRequest([], [{ type: 'histogram', family: 'x_seconds', help: 'Time', unit: 'seconds' }]);
      const [[field, meta]] = read(bytes) as [[number, Uint8Array]];
      expect(field).toBe(3);
      expect(read(meta).map(([f, v]) => [f, typeof v === 'number' ? v : text(v)])).toEqual([[1, 3], [2, 'x_seconds'], [4, 'Time'], [5, 'seconds']]);
    });

    it('should encode sub-messages longer than 127 bytes with multi-byte lengths', () => {
      const long = 'v'.repeat(300);
      const bytes = encodeWriteRequest([{ labels: [['__name__', 'x'], ['l', long]], samples: [{ value: 0, timestampMs: 1 }] }]);
      const series = read(read(bytes)[0]![1] as Uint8Array);
      expect(text(read(series[1]![1] as Uint8Array)[1]![1])).toBe(long);
    });
  });

  describe('expositionToWriteRequest', () => {
    it('should turn every sample into a series with __name__ and external labels it lacks', () => {
      const { series, metadata } = expositionToWriteRequest(
        '# HELP a_total A\n# TYPE a_total counter\na_total{job="own",x="1"} 3\n# HELP h_seconds H\n# TYPE h_seconds histogram\nh_seconds_bucket{le="+Inf"} 2\nh_seconds_sum 0.5\nh_seconds_count 2\n',
        { job: 'svc', instance: 'i1' },
        1000,
      );
      expect(metadata.map((m) => [m.family, m.type])).toEqual([['a_total', 'counter'], ['h_seconds', 'histogram']]);
      expect(series.map((s) => Object.fromEntries(s.labels))).toEqual([
        { __name__: 'a_total', job: 'own', x: '1', instance: 'i1' },
        { __name__: 'h_seconds_bucket', le: '+Inf', job: 'svc', instance: 'i1' },
        { __name__: 'h_seconds_sum', job: 'svc', instance: 'i1' },
        { __name__: 'h_seconds_count', job: 'svc', instance: 'i1' },
      ]);
      expect(series.map((s) => s.samples[0]!.value)).toEqual([3, 2, 0.5, 2]);
    });
  });
});
