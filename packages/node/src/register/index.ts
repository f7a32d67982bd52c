// `node --import @lookout/node/register app.js` (or `--require`): starts Lookout from the
// environment (LOOKOUT_*, OTEL_*) before the application runs. The one entry with a side effect.
import { initMonitoring } from '../init/initMonitoring.js';

initMonitoring();
