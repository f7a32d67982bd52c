import { createDiagnostics, type Logger } from '@lookout/core';
import { describe, expect, it, vi } from 'vitest';
import { createLazyPart, MAX_BUFFERED_CALLS } from '../../src/parts/lazyPart.js';

interface Part {
  record(n: number): string;
  finish(): Promise<string>;
  name: string;
}

function setup(mode: 'eager' | 'on-use' | 'off', load?: () => Promise<Part>) {
  const warnings: string[] = [];
  const push = (m: string): void => void warnings.push(m);
  const logger: Logger = { error: push, warn: push, info: () => {}, debug: () => {} };
  const diag = createDiagnostics({ logger, level: 'warn' });
  const seen: number[] = [];
  const real: Part = { record: (n) => (seen.push(n), 'real'), finish: async () => 'real finish', name: 'real' };
  const noop = vi.fn((): Part => ({ record: () => 'noop', finish: async () => 'noop finish', name: 'noop' }));
  const loader = vi.fn(load ?? (async () => real));
  const part = createLazyPart<Part>('test', loader, noop, { record: ['record'], await: ['finish'] }, diag, mode);
  return { part, noop, loader, seen, warnings, real };
}

describe('createLazyPart', () => {
  describe('facade', () => {
    it('should make the no-op part only when the facade is first used, and only once', async () => {
      const { part, noop } = setup('on-use');
      expect(noop).not.toHaveBeenCalled();
      expect(part.droppedCalls).toBe(0);
      expect(part.started).toBe(false);
      expect(part.facade.name).toBe('noop');
      expect(part.facade.record(1)).toBe('noop');
      expect(noop).toHaveBeenCalledTimes(1);
    });

    it('should buffer record calls until loaded, then replay them in order and forward', async () => {
      const { part, seen, loader } = setup('on-use');
      part.facade.record(1);
      part.facade.record(2);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await part.ready).toBe(true);
      expect(seen).toEqual([1, 2]);
      expect(part.facade.record(3)).toBe('real');
      expect(part.facade.name).toBe('real');
      expect(seen).toEqual([1, 2, 3]);
    });

    it('should drop calls past the buffer with one warning, and count them', async () => {
      let release!: (p: Part) => void;
      const { part, warnings, seen, real } = setup('eager', () => new Promise<Part>((resolve) => (release = resolve)));
      for (let i = 0; i < MAX_BUFFERED_CALLS + 5; i++) part.facade.record(i);
      expect(part.droppedCalls).toBe(5);
      expect(warnings.filter((w) => w.includes('part.buffer-full'))).toHaveLength(1);
      release(real);
      await part.ready;
      expect(seen).toHaveLength(MAX_BUFFERED_CALLS);
    });
  });

  describe('modes', () => {
    it('should load an eager part at once, and an off part only for an awaiting method', async () => {
      expect(setup('eager').loader).toHaveBeenCalledTimes(1);
      const off = setup('off');
      off.part.facade.record(1);
      expect(off.loader).not.toHaveBeenCalled();
      expect(await off.part.ready).toBe(false);
      expect(await off.part.facade.finish()).toBe('real finish');
      expect(off.loader).toHaveBeenCalledTimes(1);
      expect(off.seen).toEqual([]);
    });

    it('should answer from the no-op part, with one diagnostic, when loading fails', async () => {
      const { part, warnings } = setup('eager', async () => {
        throw new Error('nope');
      });
      expect(await part.ready).toBe(false);
      expect(await part.facade.finish()).toBe('noop finish');
      expect(warnings.filter((w) => w.includes('part.load'))).toHaveLength(1);
    });
  });

  describe('swap', () => {
    it('should keep a part swapped in while loading and hand the loaded one to retire', async () => {
      let release!: (p: Part) => void;
      const retired: Part[] = [];
      const diag = createDiagnostics({ level: 'none' });
      const seen: number[] = [];
      const part = createLazyPart<Part>(
        'test',
        () => new Promise<Part>((resolve) => (release = resolve)),
        () => ({ record: () => 'noop', finish: async () => 'noop', name: 'noop' }),
        { record: ['record'], await: ['finish'] },
        diag,
        'eager',
        (late) => void retired.push(late),
      );
      part.facade.record(1);
      const next: Part = { record: (n) => (seen.push(n), 'next'), finish: async () => 'next', name: 'next' };
      expect(part.swap(next)).toBeUndefined();
      expect(seen).toEqual([1]);
      const late: Part = { record: () => 'late', finish: async () => 'late', name: 'late' };
      release(late);
      await part.ready;
      expect(retired).toEqual([late]);
      expect(part.current()).toBe(next);
      expect(part.started).toBe(true);
    });
  });
});
