// A CLI with pending data at exit: initMonitoring() with remote write (REMOTE_WRITE_URL), some
// records, then a natural exit: Lookout renders, encodes and pushes before the process ends.
import { initMonitoring } from '@lookout/node';

const monitoring = initMonitoring({ serviceName: 'bench-exit', metrics: { remoteWrite: { url: process.env.REMOTE_WRITE_URL } }, spool: false, exit: { deadlineMs: Number(process.env.DEADLINE_MS ?? 2000) } });
const c = monitoring.metrics.counter('bench.items', { unit: '{item}', labels: ['kind'] });
let n = 0;
for (let i = 0; i < 1000; i++) n += i;
c.add(n, { kind: 'a' });
