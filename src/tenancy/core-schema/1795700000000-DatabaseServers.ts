import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog of Postgres servers tenant databases live on (docs/reference/scale-out.md). The server `DATABASE_URL`
 * names is registered here as `primary` (its URL is never stored: it is the service's own), and every
 * existing tenant is on it. A change to a server is announced on `tenantry_servers`, so every instance
 * reloads the catalog at once.
 */
export class DatabaseServers1795700000000 implements MigrationInterface {
  name = 'DatabaseServers1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "database_servers" ("name" character varying(40) NOT NULL, "admin_url" text, "pooler_url" text, "status" character varying(16) NOT NULL DEFAULT 'active', "capacity" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_19c770063f8ee86a5df9837e4b4" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`INSERT INTO "database_servers" ("name") VALUES ('primary')`);
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD "server" character varying(40) NOT NULL DEFAULT 'primary'`,
    );
    await queryRunner.query(`ALTER TABLE "organizations" ADD "moving_to" character varying(40)`);
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD CONSTRAINT "FK_organizations_server" FOREIGN KEY ("server") REFERENCES "database_servers"("name") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION tenantry_servers_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('tenantry_servers', coalesce(NEW.name, OLD.name));
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "database_servers_notify" AFTER INSERT OR UPDATE OR DELETE ON "database_servers"
       FOR EACH ROW EXECUTE FUNCTION tenantry_servers_notify()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "database_servers_notify" ON "database_servers"`);
    await queryRunner.query(`DROP FUNCTION tenantry_servers_notify()`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP CONSTRAINT "FK_organizations_server"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "moving_to"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "server"`);
    await queryRunner.query(`DROP TABLE "database_servers"`);
  }
}
