import type { Redactor } from '@lookout/core';
import type { RecordDraft } from '../records/normaliseRecord.js';
import type { RecordType, ViewerRecord } from '../types.js';
import { matchesRecord } from './filter.js';
import type { SseStream } from './SseStream.js';

/** Names counted per record type; past it, new names are counted under `(other)`. */
const MAX_TOTAL_NAMES = 2000;
/** Names per type sent in each status message. */
const TOTALS_PER_TYPE = 50;
/** Characters of an error's message in its default group (`TypeError: x is undefined`). */
const DEFAULT_GROUP_MESSAGE_LENGTH = 120;

interface Stored {
  record: ViewerRecord;
  json: string;
}

/** Per-second figures the page shows next to the stream. */
export interface LoadFigures {
  /** Records that arrived in the last full second. */
  arrivedPerSecond: number;
  /** Of those, sampled out (counted, not streamed). */
  sampledPerSecond: number;
  limitPerSecond: number;
}

/**
 * Where every record goes: numbered, redacted, serialised once, kept in a bounded history and
 * handed to each stream whose filter matches. Past `limitPerSecond` records in a second, the
 * rest of that second is sampled out: counted (in totals by name and in the load figures) but
 * not streamed. Past the limit, errors, security events and budgets still get a tenth of it
 * more, so a flood of events cannot hide them.
 */
export class Hub {
  readonly streams = new Set<SseStream>();
  received = 0;
  sampled = 0;
  private _seq = 0;
  private readonly _history: (Stored | undefined)[];
  private _historyNext = 0;
  private _second = 0;
  private _acceptedThisSecond = 0;
  private _priorityThisSecond = 0;
  private _arrivedThisSecond = 0;
  private _sampledThisSecond = 0;
  private _lastFigures: LoadFigures;
  private readonly _totals = new Map<string, { type: RecordType; name: string; count: number }>();

  constructor(
    private readonly _historySize: number,
    private readonly _limitPerSecond: number,
    private readonly _redactor: Redactor | undefined,
    private readonly _now: () => number,
  ) {
    this._history = new Array<Stored | undefined>(_historySize);
    this._lastFigures = { arrivedPerSecond: 0, sampledPerSecond: 0, limitPerSecond: _limitPerSecond };
  }

  /** Accepts one record. Returns false when it was sampled out. */
  publish(draft: RecordDraft): boolean {
    this.received++;
    this._countTotal(draft.type, draft.name);
    if (!this._admit(draft.type)) {
      this.sampled++;
      return false;
    }
    const record = this._redact({ seq: ++this._seq, ...draft });
    if (record.type === 'error' && record.group === undefined) record.group = `${record.name}: ${(record.message ?? '').slice(0, DEFAULT_GROUP_MESSAGE_LENGTH)}`;
    const json = JSON.stringify(record);
    if (this._historySize > 0) {
      this._history[this._historyNext] = { record, json };
      this._historyNext = (this._historyNext + 1) % this._historySize;
    }
    for (const stream of this.streams) if (matchesRecord(stream.filter, record)) stream.pushRecord(json);
    return true;
  }

  /** Recent records, oldest first, that pass `filter`, as JSON (for a stream that just opened). */
  history(accept: (record: ViewerRecord) => boolean): string[] {
    const out: string[] = [];
    for (let i = 0; i < this._historySize; i++) {
      const stored = this._history[(this._historyNext + i) % this._historySize];
      if (stored !== undefined && accept(stored.record)) out.push(stored.json);
    }
    return out;
  }

  /** Recent records, oldest first. */
  records(): ViewerRecord[] {
    const out: ViewerRecord[] = [];
    for (let i = 0; i < this._historySize; i++) {
      const stored = this._history[(this._historyNext + i) % this._historySize];
      if (stored !== undefined) out.push(stored.record);
    }
    return out;
  }

  /** Load over the last full second. */
  figures(): LoadFigures {
    this._roll(Math.floor(this._now() / 1000));
    return this._lastFigures;
  }

  /** Counts by type and name since start (the most frequent per type), exact even when sampling. */
  totals(): { type: RecordType; name: string; count: number }[] {
    const byType = new Map<RecordType, { type: RecordType; name: string; count: number }[]>();
    for (const t of this._totals.values()) {
      let list = byType.get(t.type);
      if (list === undefined) byType.set(t.type, (list = []));
      list.push(t);
    }
    const out: { type: RecordType; name: string; count: number }[] = [];
    for (const list of byType.values()) out.push(...list.sort((a, b) => b.count - a.count).slice(0, TOTALS_PER_TYPE));
    return out;
  }

  clear(): void {
    this._history.fill(undefined);
    this._historyNext = 0;
    this._totals.clear();
  }

  private _admit(type: RecordType): boolean {
    this._roll(Math.floor(this._now() / 1000));
    this._arrivedThisSecond++;
    const priority = type === 'error' || type === 'security' || type === 'budget';
    if (this._acceptedThisSecond < this._limitPerSecond) {
      this._acceptedThisSecond++;
      return true;
    }
    if (priority && this._priorityThisSecond < Math.ceil(this._limitPerSecond / 10)) {
      this._priorityThisSecond++;
      return true;
    }
    this._sampledThisSecond++;
    return false;
  }

  private _roll(second: number): void {
    if (second === this._second) return;
    const gap = second - this._second;
    this._lastFigures =
      gap === 1
        ? { arrivedPerSecond: this._arrivedThisSecond, sampledPerSecond: this._sampledThisSecond, limitPerSecond: this._limitPerSecond }
        : { arrivedPerSecond: 0, sampledPerSecond: 0, limitPerSecond: this._limitPerSecond };
    this._second = second;
    this._acceptedThisSecond = 0;
    this._priorityThisSecond = 0;
    this._arrivedThisSecond = 0;
    this._sampledThisSecond = 0;
  }

  private _countTotal(type: RecordType, name: string): void {
    const key = `${type}\u0001${name}`;
    let t = this._totals.get(key);
    if (t === undefined) {
      if (this._totals.size >= MAX_TOTAL_NAMES) {
        const otherKey = `${type}\u0001(other)`;
        t = this._totals.get(otherKey);
        if (t === undefined) this._totals.set(otherKey, (t = { type, name: '(other)', count: 0 }));
      } else {
        // Shown in every status message: redacted once, when the name is first seen.
        this._totals.set(key, (t = { type, name: this._redactor === undefined ? name : this._redactor.redactString(name), count: 0 }));
      }
    }
    t.count++;
  }

  /**
   * Redacts every text a page shows: attributes (keys and values), name, source, level, message
   * and an explicit group. A default group is built afterwards from the redacted name and
   * message, so cutting it cannot split a secret the redactor would have recognised whole.
   */
  private _redact(record: ViewerRecord): ViewerRecord {
    const r = this._redactor;
    if (r === undefined) return record;
    record.attributes = r.redact(record.attributes);
    record.name = r.redactString(record.name);
    record.source = r.redactString(record.source);
    if (record.level !== undefined) record.level = r.redactString(record.level);
    if (record.message !== undefined) record.message = r.redactString(record.message);
    if (record.group !== undefined) record.group = r.redactString(record.group);
    return record;
  }
}
