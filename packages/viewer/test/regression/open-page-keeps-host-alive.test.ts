import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFixture } from '../../../../testing/bundleFixture.js';
import { openSse, type SseClient } from '../helpers/sse.js';

describe('startViewer', () => {
  describe('an open page', () => {
    it('should not keep the host process alive', async () => {
      const script = await bundleFixture(resolve(import.meta.dirname, '../fixtures/idleHost.ts'));
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      let client: SseClient | undefined;
      try {
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
        const started = await new Promise<{ ok: boolean; origin: string; token: string }>((done, fail) => {
          let out = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            const line = out.split('\n')[0];
            if (out.includes('\n') && line !== undefined) done(JSON.parse(line) as { ok: boolean; origin: string; token: string });
          });
          child.on('exit', () => fail(new Error('the host exited before its viewer listened')));
        });
        expect(started.ok).toBe(true);
        client = await openSse(`${started.origin}/stream?token=${started.token}`);
        await client.waitFor(() => client!.events.some((e) => e.event === 'hello'));
        // The host has 300 ms of work; with the page open it used to run until the page closed.
        expect(await exited).toEqual({ code: 0, signal: null });
      } finally {
        clearTimeout(killer);
        client?.close();
        child.kill('SIGKILL');
      }
    });
  });
});
