import { OVERFLOW_VALUES, type AnySeries } from './series.js';

type Node<S> = Map<string, Node<S> | S>;

/**
 * The series of one instrument: a tree of Maps keyed by label value, one level per declared
 * label, so a lookup with interned strings does no allocation and no string building.
 * `list` holds every series for fast iteration at collection time.
 */
export class SeriesTable<S extends AnySeries> {
  readonly list: S[] = [];
  /** Root of the lookup tree; for instruments without labels, `single` is used instead. */
  readonly root: Node<S> = new Map();
  single: S | undefined = undefined;
  overflow: S | undefined = undefined;

  constructor(
    readonly arity: number,
    private readonly _make: (values: readonly string[]) => S,
  ) {}

  /** Number of regular series (the overflow series is not counted). */
  get size(): number {
    return this.overflow === undefined ? this.list.length : this.list.length - 1;
  }

  /** Exact lookup by already-normalised values. */
  get(values: readonly string[]): S | undefined {
    if (this.arity === 0) return this.single;
    let node: Node<S> | S | undefined = this.root;
    for (let i = 0; i < values.length; i++) {
      node = (node as Node<S>).get(values[i]!);
      if (node === undefined) return undefined;
    }
    return node as S;
  }

  /** Adds a series for values known to be absent. */
  insert(values: readonly string[]): S {
    const s = this._make(values);
    this._push(s);
    if (this.arity === 0) {
      this.single = s;
      return s;
    }
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Node<S> | undefined;
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
    if (this.overflow === undefined) {
      this.overflow = this._make(OVERFLOW_VALUES);
      this._push(this.overflow);
    }
    return this.overflow;
  }

  /** Removes a series (TTL); empty branches of the tree are pruned. */
  remove(s: S): void {
    const list = this.list;
    const lastSeries = list[list.length - 1]!;
    list[s.idx] = lastSeries;
    lastSeries.idx = s.idx;
    list.pop();
    if (s === this.overflow) {
      this.overflow = undefined;
      return;
    }
    if (this.arity === 0) {
      this.single = undefined;
      return;
    }
    this._prune(this.root, s.values, 0);
  }

  /** Drops every series (used when a registry is reset). */
  clear(): void {
    this.list.length = 0;
    this.root.clear();
    this.single = undefined;
    this.overflow = undefined;
  }

  private _push(s: S): void {
    s.idx = this.list.length;
    this.list.push(s);
  }

  private _prune(node: Node<S>, values: readonly string[], depth: number): boolean {
    const key = values[depth]!;
    if (depth === values.length - 1) {
      node.delete(key);
    } else {
      const child = node.get(key) as Node<S> | undefined;
      if (child !== undefined && this._prune(child, values, depth + 1)) node.delete(key);
    }
    return node.size === 0;
  }
}
