import { runCli } from './cli.js';
import type { TestApp } from './test-app.js';

const OPERATOR_PASSWORD = 'violet lanterns over quiet harbours';

/** Creates an operator with the CLI, spends its one-time password, and returns an access token. */
export async function operatorToken(t: TestApp, email: string): Promise<string> {
  const created = await runCli(['operators:create', '--email', email], { DATABASE_URL: t.coreUrl });
  if (created.code !== 0) throw new Error(`operators:create: ${created.stderr}`);
  const oneTime = /password: (\S+)/.exec(created.stdout)![1];
  const res = await t.http.post('/api/v1/operator/auth/login', {
    email,
    password: oneTime,
    newPassword: OPERATOR_PASSWORD,
  });
  if (res.status !== 200) throw new Error(`operator login: ${res.status} ${res.text}`);
  return res.body.accessToken;
}

/** Runs `fn` over `items`, `width` at a time. */
export async function inParallel<T>(
  items: T[],
  width: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
