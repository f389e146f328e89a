import { describeBudgetUnderLoad } from './support/budget-load.js';

describeBudgetUnderLoad(
  'the connection budget holds under load (own Postgres, max_connections=40)',
  async () => ({
    env: {},
  }),
);
