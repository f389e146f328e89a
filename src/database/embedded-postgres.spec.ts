import { sizedMaxConnections } from './embedded-postgres.js';

describe('the embedded server, sized for a database per tenant', () => {
  it('gives 16 MB of memory per connection, between 100 and 1,200', () => {
    expect(sizedMaxConnections(1024 ** 3)).toBe(100);
    expect(sizedMaxConnections(8 * 1024 ** 3)).toBe(512);
    expect(sizedMaxConnections(24 * 1024 ** 3)).toBe(1200);
  });
});
