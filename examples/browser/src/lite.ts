// The example page's script on @lookout/browser/lite (served with `?lite=1`): the same page and
// events for less than half the bundle, without Sentry forwarding.
import { initMonitoring, setRoute, track, trackDownload } from '@lookout/browser/lite';
import { openShop, params } from './shop.js';

// Called before init: queued, then replayed by initMonitoring.
track('page_opened', { referrer: 'example' });

const monitoring = initMonitoring({
  serviceName: 'example-shop',
  serviceVersion: '1.4.2',
  environment: 'example',
  endpoint: params.get('endpoint') ?? 'http://127.0.0.1:4318/v1/logs',
  consent: (params.get('consent') as 'granted' | 'pending' | 'denied' | null) ?? 'granted',
  flushIntervalMs: 60_000,
});
if (params.get('optout') === '1') monitoring.optOut();

trackDownload('linux', 'deb', '2.1.0');
openShop({ track, setRoute }, monitoring);
