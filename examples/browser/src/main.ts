// The example page's script on @lookout/browser. Everything Lookout needs is the initMonitoring()
// call; the page itself is in shop.ts.
import { initMonitoring, setRoute, track, trackDownload } from '@lookout/browser';
import { openShop, params } from './shop.js';

// Called before init: queued, then replayed by initMonitoring.
track('page_opened', { referrer: 'example' });

const monitoring = initMonitoring({
  serviceName: 'example-shop',
  serviceVersion: '1.4.2',
  environment: 'example',
  endpoint: params.get('endpoint') ?? 'http://127.0.0.1:4318/v1/logs',
  consent: (params.get('consent') as 'granted' | 'pending' | 'denied' | null) ?? 'granted',
  telemetry: { flushIntervalMs: 60_000 },
  // Errors also go to Sentry when a DSN is given (`?sentry=<dsn>`); @sentry/browser is loaded only then.
  ...(params.get('sentry') === null ? {} : { sentry: { dsn: params.get('sentry') as string, environment: 'example', release: 'example-shop@1.4.2' } }),
});
if (params.get('optout') === '1') monitoring.optOut();

trackDownload('linux', 'deb', '2.1.0');
openShop({ track, setRoute }, monitoring);
