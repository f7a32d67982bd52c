// Browser safety of @lookout/web-vitals: both entries bundle for browsers with no warning and no
// `node:` module reached, and do nothing at import time.
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, globalsReadAtImport } from '../../browser/test/helpers/browserBundle.js';

describe('@lookout/web-vitals', () => {
  describe('browser safety', () => {
    it.each(['@lookout/web-vitals', '@lookout/web-vitals/attribution'])('should bundle %s for browsers without warnings, node: modules or import-time work', async (entry) => {
      const { text, inputs } = await bundleForBrowser(`import * as m from '${entry}'; globalThis.lookout = m;`);
      expect(inputs.filter((f) => f.startsWith('node:'))).toEqual([]);
      const zodOwn = ['__zod_globalConfig', '__zod_globalRegistry'];
      expect(globalsReadAtImport(text).filter((k) => k !== 'lookout' && !zodOwn.includes(k))).toEqual([]);
    });
  });
});
