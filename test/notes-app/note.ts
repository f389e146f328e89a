import {
  Column,
  CreateDateColumn,
  Entity,
  type MigrationInterface,
  PrimaryGeneratedColumn,
  type QueryRunner,
} from 'typeorm';

/** The second app's one entity: a note in a tenant's database. */
@Entity({ name: 'notes' })
export class Note {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  author!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export class CreateNotes1800000000001 implements MigrationInterface {
  name = 'CreateNotes1800000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notes');
  }
}

export class NoteAuthors1800000000002 implements MigrationInterface {
  name = 'NoteAuthors1800000000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notes ADD COLUMN author varchar(254)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notes DROP COLUMN author');
  }
}

export const NOTE_MIGRATIONS = [CreateNotes1800000000001, NoteAuthors1800000000002];

/** The note every new tenant starts with, written by the engine's seed hook (a fixed id: idempotent). */
export const WELCOME_NOTE_ID = '00000000-0000-4000-8000-000000000001';
