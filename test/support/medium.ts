import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/config.loader.js';
import { CoreAuthService } from '../../src/core/auth/core-auth.service.js';
import { OrganizationService } from '../../src/core/organizations/organization.service.js';
import { dropDatabase } from '../../src/database/postgres-admin.js';
import { TenantRunner, TenantConnectionManager } from '../../src/tenancy/index.js';
import type { Actor } from '../../src/tenant/audit/actor.js';
import { User, type UserRole } from '../../src/tenant/identity/user.entity.js';
import { UserService } from '../../src/tenant/users/user.service.js';
import { scratchDatabaseUrl, testServerUrl } from './servers.js';
import { dropTenantDatabases, TEST_ENV } from './test-app.js';

export const OWNER_PASSWORD = 'Medium-owner-pass-2026!';

/**
 * The middle test layer: the real Nest container (every provider, real Postgres, no HTTP, no background
 * workers) with one verified owner and one organization. Specs call services directly inside the
 * organization's tenant scope, exactly as a request or a CLI command would run them.
 */
export interface Medium {
  app: INestApplicationContext;
  core: DataSource;
  owner: { id: string; email: string };
  slug: string;
  get<T>(type: Type<T>): T;
  /** Runs `fn` inside the organization's tenant scope (or another organization's). */
  inTenant<T>(fn: () => Promise<T>, slug?: string): Promise<T>;
  /** The organization's first admin (the owner), as an audit actor. */
  admin(): Promise<Actor>;
  /** A new active user with `role`, as an audit actor. */
  userWith(role: UserRole): Promise<Actor>;
  /** Another organization of the same owner. */
  onboard(slug: string): Promise<void>;
  close(): Promise<void>;
}

let users = 0;

export async function startMedium(env: Record<string, string> = {}): Promise<Medium> {
  const scratch = scratchDatabaseUrl('tenantry_m');
  const config = {
    ...loadConfig({
      ...TEST_ENV,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-medium-')),
      DATABASE_URL: scratch.url,
      ...env,
    }),
    runWorkers: false,
  };
  const db = await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, db.coreUrl), {
    logger: false,
  });
  const core = app.get(DataSource);
  const email = `owner-${scratch.name}@example.com`;
  const registered = await app
    .get(CoreAuthService)
    .register({ email, password: OWNER_PASSWORD, name: 'Medium Owner' });
  await core.query('UPDATE owners SET email_verified_at = now() WHERE id = $1', [registered.id]);
  const owner = { id: registered.id, email };
  const onboard = async (slug: string) => {
    await app.get(OrganizationService).create({ ...owner, emailVerified: true }, { name: slug, slug });
  };
  const slug = 'medium-org';
  await onboard(slug);
  const inTenant = <T>(fn: () => Promise<T>, other = slug) => app.get(TenantRunner).run(other, () => fn());
  const userByEmail = (address: string) =>
    inTenant(() =>
      app.get(TenantConnectionManager).run((m) => m.getRepository(User).findOneByOrFail({ email: address })),
    );
  const admin = async (): Promise<Actor> => ({ user: await userByEmail(email), requestId: null });
  return {
    app,
    core,
    owner,
    slug,
    get: (type) => app.get(type),
    inTenant,
    admin,
    async userWith(role) {
      const address = `${role}-${++users}@example.com`;
      const actor = await admin();
      await inTenant(() =>
        app.get(UserService).create(actor, { email: address, password: OWNER_PASSWORD, name: role, role }),
      );
      return { user: await userByEmail(address), requestId: null };
    },
    onboard,
    async close() {
      await app.close();
      await dropTenantDatabases(db.coreUrl);
      await dropDatabase(testServerUrl(), scratch.name);
    },
  };
}
