import { Column, Entity, Index } from 'typeorm';
import { SoftDeletableRecord } from '../../common/entities/soft-deletable.record.js';

/**
 * A generic note-like record with tags. `search` is a tsvector kept by a trigger (see the migration) and
 * indexed with GIN: `?q=` uses Postgres full-text search, not ILIKE scans.
 */
@Entity({ name: 'items' })
@Index('IDX_items_created', ['createdAt', 'id'])
@Index('IDX_items_search', ['search'], { type: 'gin' })
@Index('IDX_items_tags', ['tags'], { type: 'gin' })
export class Item extends SoftDeletableRecord {
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text', default: '' })
  body!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** Ids of the tenant's files attached to this record. */
  @Column({ name: 'attachment_ids', type: 'uuid', array: true, default: () => "'{}'" })
  attachmentIds!: string[];

  @Column({ type: 'tsvector', select: false, insert: false, update: false, nullable: true })
  search?: string;
}
