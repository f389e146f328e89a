import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A file's metadata; its bytes are in the file store under the tenant's and this id. */
@Entity({ name: 'files' })
export class StoredFile {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_files' })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'bigint' })
  size!: string;

  /** Sniffed from the bytes, never the client's claim. */
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'uploader_id', type: 'uuid' })
  uploaderId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
