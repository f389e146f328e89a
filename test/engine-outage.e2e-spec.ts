import { describeOutage } from './support/outage.js';

describeOutage('Postgres restarted under writes', async () => ({ env: {} }));
