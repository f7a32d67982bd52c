// Reads the Prometheus text format (0.0.4) as Lookout's own renderer writes it: `# HELP` and
// `# TYPE` lines per family, then `name{a="x",b="y"} value` samples. Used to merge workers'
// metrics into one scrape and to turn a registry into remote-write time series.

/** One sample line. */
export interface ExpositionSample {
  /** Sample name (`x_bucket`, `x_total` …). */
  name: string;
  /** Label pairs in their written order (unescaped values). */
  labels: [string, string][];
  value: number;
}

/** One metric family with its samples. */
export interface ExpositionFamily {
  name: string;
  type: string;
  help: string;
  samples: ExpositionSample[];
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;

/** Parses exposition text into families, in order. Lines it cannot read are skipped. */
export function parseExposition(text: string): ExpositionFamily[] {
  const families: ExpositionFamily[] = [];
  const byName = new Map<string, ExpositionFamily>();
  let current: ExpositionFamily | undefined;
  const family = (name: string): ExpositionFamily => {
    let f = byName.get(name);
    if (f === undefined) {
      f = { name, type: 'untyped', help: '', samples: [] };
      byName.set(name, f);
      families.push(f);
    }
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (m === null) continue;
      current = family(m[2]!);
      if (m[1] === 'HELP') current.help = m[3]!;
      else current.type = m[3]!;
      continue;
    }
    const m = SAMPLE.exec(line);
    if (m === null) continue;
    const name = m[1]!;
    const f = current !== undefined && belongsTo(name, current) ? current : family(familyOf(name));
    f.samples.push({ name, labels: m[2] === undefined ? [] : parseLabels(m[2]), value: parseValue(m[3]!) });
  }
  return families;
}

/** Whether a sample name belongs to a family (histogram and summary samples carry suffixes). */
function belongsTo(sample: string, f: ExpositionFamily): boolean {
  if (sample === f.name) return true;
  if (f.type === 'histogram' || f.type === 'summary') {
    return sample === `${f.name}_bucket` || sample === `${f.name}_sum` || sample === `${f.name}_count`;
  }
  return false;
}

function familyOf(sample: string): string {
  return sample.replace(/_(bucket|sum|count)$/, '');
}

function parseLabels(text: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim().replace(/^,/, '').trim();
    if (text[eq + 1] !== '"') break;
    let j = eq + 2;
    let value = '';
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\' && j + 1 < text.length) {
        const next = text[j + 1];
        value += next === 'n' ? '\n' : next;
        j += 2;
      } else {
        value += text[j];
        j++;
      }
    }
    out.push([key, value]);
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return out;
}

function parseValue(raw: string): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

/** Escapes a label value for the text format. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Prometheus number syntax. */
export function formatNumber(v: number): string {
  return v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`;
}

/** Renders families back to the text format. */
export function renderFamilies(families: readonly ExpositionFamily[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) {
      const labels = s.labels.length === 0 ? '' : `{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
      out += `${s.name}${labels} ${formatNumber(s.value)}\n`;
    }
  }
  return out;
}

/** One source of metrics: its text and, when series are kept per worker, its `worker` label value. */
export interface ExpositionSource {
  worker: string;
  text: string;
}

/**
 * Merges several processes' expositions into one: families by name (the first HELP/TYPE wins),
 * samples with identical name and labels combined: counters, histogram buckets, sums and counts
 * add up, and gauges as {@link gaugeCombination} says (memory, handles and queue depths of a pool
 * add up; ratios are averaged, percentiles take the greatest). With `labelByWorker`, nothing is
 * combined: each sample gets a `worker` label instead.
 */
export function mergeExpositions(sources: readonly ExpositionSource[], labelByWorker: boolean): string {
  const families: ExpositionFamily[] = [];
  const byName = new Map<string, { family: ExpositionFamily; index: Map<string, ExpositionSample>; combine: GaugeCombination; seen: Map<ExpositionSample, number> }>();
  // Worker threads share their primary's process: its process-wide readings come from each of them alike.
  const threads = sources.some((source) => source.worker.startsWith('thread-'));
  for (const source of sources) {
    for (const f of parseExposition(source.text)) {
      let entry = byName.get(f.name);
      if (entry === undefined) {
        const combine = labelByWorker || f.type !== 'gauge' ? 'sum' : gaugeCombination(f.name, threads);
        entry = { family: { name: f.name, type: f.type, help: f.help, samples: [] }, index: new Map(), combine, seen: new Map() };
        byName.set(f.name, entry);
        families.push(entry.family);
      } else if (entry.family.type !== f.type) {
        continue; // Two workers disagree on a family's type: keep the first definition only.
      }
      for (const s of f.samples) {
        const labels: [string, string][] = labelByWorker ? [['worker', source.worker], ...s.labels.filter(([k]) => k !== 'worker')] : s.labels;
        const key = `${s.name}\u0000${labels.map(([k, v]) => `${k}\u0001${v}`).join('\u0000')}`;
        const existing = entry.index.get(key);
        if (existing === undefined) {
          const sample = { name: s.name, labels, value: s.value };
          entry.index.set(key, sample);
          entry.family.samples.push(sample);
        } else if (entry.combine === 'sum') existing.value += s.value;
        else if (entry.combine === 'min') existing.value = Math.min(existing.value, s.value);
        else if (entry.combine === 'max') existing.value = Math.max(existing.value, s.value);
        else {
          // A running mean; only averaged samples keep a count (a sample seen once has none).
          const n = (entry.seen.get(existing) ?? 1) + 1;
          entry.seen.set(existing, n);
          existing.value += (s.value - existing.value) / n;
        }
      }
    }
  }
  return renderFamilies(families);
}

/** How summed worker metrics combine one gauge's values across processes. */
export type GaugeCombination = 'sum' | 'avg' | 'min' | 'max';

/**
 * How a gauge is combined across workers when they are summed (not labelled by worker), by its
 * Prometheus name. Readings that several sources take of one thing are not added up but take the
 * greatest: host-wide ones (`system_*`, such as a filesystem's usage) always, process-wide ones
 * (`process_*`) from worker threads, which share their primary's process; from cluster workers,
 * separate processes, these add up (`process_cpu_utilization` is each process's share of the
 * host's CPUs, so the sum is the pool's share). Other amounts (bytes, handles, counts) add up;
 * ratios and means are averaged over the sources (`*_utilization` such as the event loop's,
 * `*_ratio`, `*_mean`); a minimum takes the least, a maximum, a percentile or a standard deviation
 * the greatest (percentiles cannot be combined without the distributions: the greatest is the
 * bound an alert wants). A unit may follow the name's last word (`_p99_seconds`, `_min_bytes`).
 */
export function gaugeCombination(name: string, threads = false): GaugeCombination {
  if (name.startsWith('system_') || (threads && name.startsWith('process_'))) return 'max';
  if (name.startsWith('process_')) return 'sum';
  if (/_(?:utilization|ratio)$|_mean(?:_seconds|_bytes)?$/.test(name)) return 'avg';
  if (/_min(?:_seconds|_bytes)?$/.test(name)) return 'min';
  if (/_(?:max|stddev|p\d{1,3})(?:_seconds|_bytes)?$/.test(name)) return 'max';
  return 'sum';
}
