// Run with `npm start -w @lookout/example-viewer` (after `npm run build`), then open the printed URL.
import { getDefaultRegistry } from '@lookout/core';
import { startViewer } from '@lookout/viewer';
import { createShop } from './createShop.mjs';

const registry = getDefaultRegistry();
const viewer = startViewer({ registry, sourceName: 'shop' });
if (!(await viewer.ready)) process.exit(1);
console.log(`Lookout viewer: ${viewer.url}`);

const shop = createShop({ viewer, registry });
const plans = ['free', 'pro', 'team'];
const traffic = setInterval(() => {
  shop.checkout(plans[Math.floor(Math.random() * plans.length)]);
  if (Math.random() < 0.05) shop.failCart();
  if (Math.random() < 0.02) shop.loginFailed();
  if (Math.random() < 0.05) viewer.publish({ type: 'budget', name: 'checkout.p95', state: Math.random() < 0.5 ? 'ok' : 'warning', value: Math.random(), limit: 0.5 });
}, 100);

process.once('SIGINT', async () => {
  clearInterval(traffic);
  await shop.close();
  await viewer.close();
  process.exit(0);
});
// The viewer never keeps the process alive by itself; the traffic timer does here.
