// Cold start: require prom-client, define a counter, record once.
const client = require('prom-client');

new client.Counter({ name: 'app_starts_total', help: 'Starts' }).inc();
