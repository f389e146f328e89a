import { queryServer, verifiedOwner, type Owner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 9, finding 4: one owner created 25 databases. With ORG_LIMIT_PER_OWNER, onboarding past the limit is
 * 403 QUOTA_EXCEEDED — exactly, also when the owner sends them all at once — and a retry of the owner's own
 * onboarding still answers with it.
 */
describe('organizations per owner', () => {
  let t: TestApp;
  let owner: Owner;

  beforeAll(async () => {
    t = await startTestApp({
      ORG_LIMIT_PER_OWNER: '3',
      PROVISIONING_CONCURRENCY: '2',
      PROVISIONING_QUEUE: '16',
    });
    owner = await verifiedOwner(t, 'quota@example.com');
  });
  afterAll(() => t?.close());

  const onboard = (slug: string) =>
    t.http.post('/api/v1/core/organizations', { name: slug, slug }, { token: owner.token });

  it('lets exactly the limit through when six onboardings race', async () => {
    const replies = await Promise.all(
      ['q-one', 'q-two', 'q-three', 'q-four', 'q-five', 'q-six'].map(onboard),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 403, 403, 403]);
    for (const refused of replies.filter((r) => r.status === 403)) {
      expect(refused.body.code).toBe('QUOTA_EXCEEDED');
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const rows = await queryServer<{ n: number }>(
      t.coreUrl,
      `SELECT count(*)::int AS n FROM organizations o JOIN owners w ON w.id = o.owner_id WHERE w.email = $1`,
      ['quota@example.com'],
    );
    expect(rows[0].n).toBe(3);
  });

  it("still answers the owner's retry of an organization it has", async () => {
    const list = await t.http.get('/api/v1/core/organizations', { token: owner.token });
    const slug = list.body.data[0].slug as string;
    const retry = await onboard(slug);
    expect(retry.status).toBe(201);
    expect(retry.body.slug).toBe(slug);
  });

  it('frees a place when an organization is deleted', async () => {
    const list = await t.http.get('/api/v1/core/organizations', { token: owner.token });
    const slug = list.body.data[0].slug as string;
    const del = await t.http.delete(
      `/api/v1/core/organizations/${slug}`,
      { confirm: slug },
      { token: owner.token },
    );
    expect(del.status).toBe(202);
    expect((await onboard('q-seven')).status).toBe(201);
  });
});
