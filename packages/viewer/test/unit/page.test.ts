import { describe, expect, it } from 'vitest';
import { Script } from 'node:vm';
import { VIEWER_HTML } from '../../src/page/html.js';
import { VIEWER_SCRIPT } from '../../src/page/script.js';
import { VIEWER_STYLE } from '../../src/page/style.js';

describe('viewer page', () => {
  it('should be a script that parses', () => {
    expect(() => new Script(VIEWER_SCRIPT)).not.toThrow();
  });

  it('should load nothing from outside the viewer', () => {
    for (const text of [VIEWER_HTML, VIEWER_SCRIPT, VIEWER_STYLE]) expect(text).not.toMatch(/https?:\/\/|\/\/[a-z]/i);
    expect(VIEWER_HTML).toContain('<script src="/assets/viewer.js">');
    // The page's CSP allows no inline styles or scripts.
    expect(VIEWER_SCRIPT).not.toContain('style=');
    expect(VIEWER_HTML).not.toMatch(/<script>|style=/);
  });
});
