import { describe, expect, it } from 'vitest';
import { createBeaconBudget, getBeaconBudget, splitForBudget, utf8Length } from '../../src/delivery/index.js';
import type { EncodedBatch } from '../../src/delivery/index.js';

const encode = (items: readonly string[]): EncodedBatch => ({ body: JSON.stringify(items), contentType: 'application/json' });

describe('createBeaconBudget', () => {
  describe('reserve', () => {
    it('should grant reservations until the limit and refuse past it', () => {
      const budget = createBeaconBudget(100);
      expect(budget.reserve(60)).toBe(true);
      expect(budget.reserve(41)).toBe(false);
      expect(budget.reserve(40)).toBe(true);
      expect(budget.availableBytes).toBe(0);
    });

    it('should refuse garbage sizes', () => {
      const budget = createBeaconBudget(100);
      for (const bad of [-1, Number.NaN, Infinity, '5' as unknown as number]) expect(budget.reserve(bad)).toBe(false);
      expect(budget.usedBytes).toBe(0);
    });

    it('should default to 64 KiB', () => {
      expect(createBeaconBudget().limitBytes).toBe(65_536);
    });
  });

  describe('release', () => {
    it('should return bytes and never go below zero', () => {
      const budget = createBeaconBudget(100);
      budget.reserve(80);
      budget.release(30);
      expect(budget.usedBytes).toBe(50);
      budget.release(500);
      expect(budget.usedBytes).toBe(0);
    });
  });
});

describe('getBeaconBudget', () => {
  it('should return the same page-wide budget every time', () => {
    expect(getBeaconBudget()).toBe(getBeaconBudget());
  });
});

describe('splitForBudget', () => {
  it('should keep everything in one chunk when it fits', () => {
    const split = splitForBudget(['a', 'b'], encode, 100);
    expect(split.chunks).toHaveLength(1);
    expect(split.chunks[0]?.bytes).toBe(9);
  });

  it('should split into chunks under the limit, in order, dropping an item too large alone', () => {
    const items = Array.from({ length: 40 }, (_, i) => `item-${i}-${'x'.repeat(i % 7)}`);
    items.splice(13, 0, 'y'.repeat(200));
    const split = splitForBudget(items, encode, 64);

    expect(split.tooLarge).toEqual(['y'.repeat(200)]);
    expect(split.chunks.every((c) => c.bytes <= 64 && c.bytes === utf8Length(c.encoded.body as string))).toBe(true);
    expect(split.chunks.flatMap((c) => c.items)).toEqual(items.filter((i) => !i.startsWith('y')));
  });

  it('should set aside items the encoder throws on', () => {
    const picky = (items: readonly string[]): EncodedBatch => {
      if (items.includes('bad')) throw new Error('cannot encode');
      return encode(items);
    };
    const split = splitForBudget(['a', 'bad', 'c'], picky, 1000);
    expect(split.invalid).toEqual(['bad']);
    expect(split.chunks.flatMap((c) => c.items)).toEqual(['a', 'c']);
  });

  it('should return nothing for an empty list', () => {
    expect(splitForBudget([], encode, 10)).toEqual({ chunks: [], tooLarge: [], invalid: [] });
  });
});

describe('utf8Length', () => {
  it('should count UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('\ud800')).toBe(3);
    expect(utf8Length('a😀é€')).toBe(Buffer.byteLength('a😀é€'));
  });
});
