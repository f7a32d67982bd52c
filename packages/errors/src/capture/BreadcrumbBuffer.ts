import type { Breadcrumb } from '../types.js';

/** A ring of the last `capacity` breadcrumbs. */
export class BreadcrumbBuffer {
  private readonly _items: (Breadcrumb | undefined)[];
  private _next = 0;
  private _size = 0;

  constructor(private readonly _capacity: number) {
    this._items = new Array<Breadcrumb | undefined>(_capacity);
  }

  add(crumb: Breadcrumb): void {
    if (this._capacity === 0) return;
    this._items[this._next] = crumb;
    this._next = (this._next + 1) % this._capacity;
    if (this._size < this._capacity) this._size++;
  }

  /** Oldest first. */
  toArray(): Breadcrumb[] {
    const out: Breadcrumb[] = [];
    const start = (this._next - this._size + this._capacity) % Math.max(this._capacity, 1);
    for (let i = 0; i < this._size; i++) {
      const crumb = this._items[(start + i) % this._capacity];
      if (crumb !== undefined) out.push(crumb);
    }
    return out;
  }
}
