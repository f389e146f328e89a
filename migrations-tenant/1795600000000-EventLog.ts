import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tenant's event log: appended in the same transaction as the change it reports, in commit order (the
 * writer holds a transaction lock from its append to its commit, so ids never commit out of order and a
 * reader resuming after id N misses nothing). Append-only for the service's login role.
 */
export class EventLog1795600000000 implements MigrationInterface {
  name = 'EventLog1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "events" ("id" bigserial NOT NULL, "type" character varying(60) NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_events_type" ON "events" ("type", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
