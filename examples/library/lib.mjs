// A library: it depends on @lookout/core only and wraps its functions with instrument(). It
// never sets up an exporter: with no SDK in the app its records cost almost nothing and go
// nowhere; with one, they show up as textkit_function_calls_total / _duration_seconds / _errors_total.
import { instrument } from '@lookout/core';

export const countWords = instrument('countWords', (text) => text.split(/\s+/).filter(Boolean).length, { namespace: 'textkit' });

export const summarise = instrument(
  'summarise',
  async (text, maxWords = 5) => {
    if (typeof text !== 'string') throw new TypeError('summarise() needs a string');
    await new Promise((r) => setTimeout(r, 5));
    return text.split(/\s+/).slice(0, maxWords).join(' ');
  },
  { namespace: 'textkit' },
);
