import { describe, expect, it } from 'vitest';
import { BoundedMap, settleBy } from '@lookout/core';

describe('BoundedMap', () => {
  it('should evict the least recently used key past its bound and count evictions', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.touch('a');
    m.set('c', 3);
    expect([...m.entries()].map(([k]) => k)).toEqual(['a', 'c']);
    expect(m.evictions).toBe(1);
    expect(m.upsert('d', () => 4)).toBe(4);
    expect(m.upsert('c', () => 99)).toBe(3);
    expect([...m.values()]).toEqual([4, 3]);
    expect(m.sweep((v) => v > 3)).toBe(1);
    expect(m.size).toBe(1);
  });
});

describe('settleBy', () => {
  it('should resolve when every task settled, or at the deadline, and never reject', async () => {
    const t0 = Date.now();
    await settleBy([Promise.reject(new Error('x')), Promise.resolve(1)], 1_000);
    expect(Date.now() - t0).toBeLessThan(500);
    const t1 = Date.now();
    await settleBy([new Promise(() => {})], 50);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(45);
  });
});
