import type { AnySeries } from './series.js';

/** A level of the lookup tree: label value → next level, or the series at the last level. */
export type SeriesNode<S> = Map<string, SeriesNode<S> | S>;

/**
 * The series of one instrument: a tree of Maps keyed by label value, one level per declared
 * label. A lookup with the host's (usually interned) strings allocates nothing and builds no
 * key string, and a series does not store its label values at all: they are the path to it,
 * recovered when the tree is walked at collection time. That keeps memory per series small.
 */
export class SeriesTable<S extends AnySeries> {
  /** Root of the lookup tree; for instruments without labels, `single` is used instead. */
  readonly root: SeriesNode<S> = new Map();
  single: S | undefined = undefined;
  /** Where records go past the cardinality limit; exported with `otel_metric_overflow="true"`. */
  overflow: S | undefined = undefined;
  /** Number of regular series (the overflow series is not counted). */
  size = 0;

  constructor(
    readonly arity: number,
    private readonly _make: () => S,
  ) {}

  /** Exact lookup by already-normalised values. */
  get(values: readonly string[]): S | undefined {
    if (this.arity === 0) return this.single;
    let node: SeriesNode<S> | S | undefined = this.root;
    for (let i = 0; i < values.length; i++) {
      node = (node as SeriesNode<S>).get(values[i]!);
      if (node === undefined) return undefined;
    }
    return node as S;
  }

  /** Adds a series for values known to be absent. */
  insert(values: readonly string[]): S {
    const s = this._make();
    this.size++;
    if (this.arity === 0) {
      this.single = s;
      return s;
    }
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as SeriesNode<S> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(values[i]!, next);
      }
      node = next;
    }
    node.set(values[last]!, s);
    return s;
  }

  getOverflow(): S {
    return (this.overflow ??= this._make());
  }

  /**
   * Calls `fn` for every regular series with its label values (the array is reused between
   * calls: copy it to keep it), in insertion order, then for the overflow series with `undefined`.
   */
  forEach(fn: (s: S, values: readonly string[] | undefined) => void): void {
    if (this.arity === 0) {
      if (this.single !== undefined) fn(this.single, []);
    } else {
      const values = new Array<string>(this.arity);
      const walk = (node: SeriesNode<S>, depth: number): void => {
        const leaf = depth === this.arity - 1;
        node.forEach((child, value) => {
          values[depth] = value;
          if (leaf) fn(child as S, values);
          else walk(child as SeriesNode<S>, depth + 1);
        });
      };
      walk(this.root, 0);
    }
    if (this.overflow !== undefined) fn(this.overflow, undefined);
  }

  /**
   * Removes every series for which `drop` returns true (TTL), pruning branches left empty.
   * Returns how many were removed.
   */
  removeWhere(drop: (s: S) => boolean): number {
    let removed = 0;
    if (this.arity === 0) {
      if (this.single !== undefined && drop(this.single)) {
        this.single = undefined;
        removed++;
      }
    } else {
      const walk = (node: SeriesNode<S>, depth: number): void => {
        const leaf = depth === this.arity - 1;
        for (const [value, child] of node) {
          if (leaf) {
            if (drop(child as S)) {
              node.delete(value);
              removed++;
            }
          } else {
            walk(child as SeriesNode<S>, depth + 1);
            if ((child as SeriesNode<S>).size === 0) node.delete(value);
          }
        }
      };
      walk(this.root, 0);
    }
    this.size -= removed;
    if (this.overflow !== undefined && drop(this.overflow)) {
      this.overflow = undefined;
      removed++;
    }
    return removed;
  }

  /** Drops every series. */
  clear(): void {
    this.root.clear();
    this.single = undefined;
    this.overflow = undefined;
    this.size = 0;
  }
}
