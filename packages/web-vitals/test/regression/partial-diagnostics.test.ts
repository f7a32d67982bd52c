// `diagnostics` that is not a whole Diagnostics (only `warn`) is refused with one diagnostic: it was
// accepted, and the collector's guard then called its missing `internalError` from inside a
// `catch`, throwing a TypeError out of web-vitals' callback into the page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureDiagnostics, createDiagnostics, createMetricsRegistry, resetDiagnosticsForTests } from '@lookout/core';
import { createCollector } from '../../src/collector/createCollector.js';
import { createFakeSource, installFakePage } from '../helpers/fakePage.js';

let page: ReturnType<typeof installFakePage>;
let lines: string[];
beforeEach(() => {
  page = installFakePage('/cart');
  lines = [];
  configureDiagnostics({ level: 'debug', logger: { error: (m) => lines.push(m), warn: (m) => lines.push(m), info: (m) => lines.push(m), debug: (m) => lines.push(m) } });
});
afterEach(() => {
  page.restore();
  resetDiagnosticsForTests();
});

const hostBug = () => {
  throw new Error('host bug');
};

describe('createCollector', () => {
  describe('diagnostics', () => {
    it('should refuse a diagnostics object with only warn(), with one diagnostic, and keep a failing callback inside', () => {
      const source = createFakeSource();
      createCollector(source, { diagnostics: { warn() {} } as never, registry: createMetricsRegistry(), onReport: hostBug });
      expect(lines.filter((l) => l.includes('diagnostics'))).toHaveLength(1);
      expect(() => source.emit({ name: 'FCP', value: 900 })).not.toThrow();
      expect(lines.some((l) => l.includes('host bug'))).toBe(true);
    });

    it('should keep a failure inside when the host diagnostics itself throws', () => {
      const diagnostics = createDiagnostics({ level: 'none' });
      diagnostics.internalError = hostBug;
      const source = createFakeSource();
      createCollector(source, { diagnostics, onReport: hostBug });
      expect(() => source.emit({ name: 'FCP', value: 900 })).not.toThrow();
    });
  });
});
