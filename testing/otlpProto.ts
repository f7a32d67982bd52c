/**
 * A minimal hand-written OTLP metrics protobuf encoder, so tests can push a known
 * `ExportMetricsServiceRequest` to a real backend without going through the OTel SDK
 * (whose own output is what many of our tests check).
 *
 * Field numbers follow opentelemetry-proto `opentelemetry/proto/metrics/v1/metrics.proto`,
 * `common/v1/common.proto`, `resource/v1/resource.proto` and
 * `collector/metrics/v1/metrics_service.proto`. Only gauges and sums of doubles with string
 * attributes are supported.
 */

/** Appends protobuf wire-format fields to a growing byte list. */
class ProtoWriter {
  private readonly _bytes: number[] = [];

  private _varint(value: bigint | number): void {
    let v = BigInt(value);
    if (v < 0n) v &= (1n << 64n) - 1n; // two's complement, as protobuf encodes negative int64
    while (v > 0x7fn) {
      this._bytes.push(Number((v & 0x7fn) | 0x80n));
      v >>= 7n;
    }
    this._bytes.push(Number(v));
  }

  private _tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this._varint((field << 3) | wireType);
  }

  uint64(field: number, value: bigint | number): this {
    this._tag(field, 0);
    this._varint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint64(field, value ? 1 : 0);
  }

  /** Wire type 1: eight little-endian bytes written by `set`. */
  private _eightBytes(field: number, set: (view: DataView) => void): this {
    this._tag(field, 1);
    const view = new DataView(new ArrayBuffer(8));
    set(view);
    this._bytes.push(...new Uint8Array(view.buffer));
    return this;
  }

  fixed64(field: number, value: bigint): this {
    return this._eightBytes(field, (view) => view.setBigUint64(0, value, true));
  }

  double(field: number, value: number): this {
    return this._eightBytes(field, (view) => view.setFloat64(0, value, true));
  }

  bytes(field: number, value: Uint8Array): this {
    this._tag(field, 2);
    this._varint(value.length);
    this._bytes.push(...value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this._bytes);
  }
}

/** One data point of a gauge or sum. */
export interface OtlpPoint {
  value: number;
  attributes?: Record<string, string>;
  /** Default: now. */
  timeUnixNano?: bigint;
  /** Default: `timeUnixNano` minus one second. */
  startTimeUnixNano?: bigint;
}

export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  /** `gauge`, or a cumulative `sum` (monotonic unless `monotonic: false`). */
  kind: 'gauge' | 'sum';
  monotonic?: boolean;
  points: OtlpPoint[];
}

export interface OtlpRequest {
  resourceAttributes?: Record<string, string>;
  scope?: { name: string; version?: string };
  metrics: OtlpMetric[];
}

/** `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`. */
const CUMULATIVE = 2;

function writeAttributes(w: ProtoWriter, field: number, attributes: Record<string, string> = {}): void {
  for (const [key, value] of Object.entries(attributes)) {
    // KeyValue { key = 1; value = 2 (AnyValue { string_value = 1 }) }
    w.message(field, (kv) => kv.string(1, key).message(2, (any) => any.string(1, value)));
  }
}

function writePoint(w: ProtoWriter, point: OtlpPoint): void {
  const time = point.timeUnixNano ?? BigInt(Date.now()) * 1_000_000n;
  // NumberDataPoint { start_time_unix_nano = 2; time_unix_nano = 3; as_double = 4; attributes = 7 }
  w.fixed64(2, point.startTimeUnixNano ?? time - 1_000_000_000n);
  w.fixed64(3, time);
  w.double(4, point.value);
  writeAttributes(w, 7, point.attributes);
}

/**
 * Encodes an `ExportMetricsServiceRequest` for `POST /v1/metrics` with
 * `content-type: application/x-protobuf`.
 */
export function encodeOtlpMetricsRequest(request: OtlpRequest): Uint8Array {
  return new ProtoWriter()
    // ExportMetricsServiceRequest { resource_metrics = 1 }
    .message(1, (rm) => {
      // ResourceMetrics { resource = 1 (Resource { attributes = 1 }); scope_metrics = 2 }
      rm.message(1, (res) => writeAttributes(res, 1, request.resourceAttributes));
      rm.message(2, (sm) => {
        // ScopeMetrics { scope = 1 (InstrumentationScope { name = 1; version = 2 }); metrics = 2 }
        const scope = request.scope ?? { name: '@lookout/testing' };
        sm.message(1, (s) => {
          s.string(1, scope.name);
          if (scope.version) s.string(2, scope.version);
        });
        for (const metric of request.metrics) {
          // Metric { name = 1; description = 2; unit = 3; gauge = 5; sum = 7 }
          sm.message(2, (m) => {
            m.string(1, metric.name);
            if (metric.description) m.string(2, metric.description);
            if (metric.unit) m.string(3, metric.unit);
            if (metric.kind === 'gauge') {
              // Gauge { data_points = 1 }
              m.message(5, (g) => metric.points.forEach((p) => g.message(1, (dp) => writePoint(dp, p))));
            } else {
              // Sum { data_points = 1; aggregation_temporality = 2; is_monotonic = 3 }
              m.message(7, (sum) => {
                metric.points.forEach((p) => sum.message(1, (dp) => writePoint(dp, p)));
                sum.uint64(2, CUMULATIVE);
                sum.bool(3, metric.monotonic ?? true);
              });
            }
          });
        }
      });
    })
    .finish();
}

/** Encodes `request` and posts it as OTLP/HTTP protobuf; throws unless the answer is 2xx. */
export async function postOtlpMetrics(url: string, request: OtlpRequest): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: encodeOtlpMetricsRequest(request),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return res;
}
