import { ApiProperty } from '@nestjs/swagger';

/** What every soft-deletable record (catalogue entries, items) answers with. */
export class SoftDeletableRecordDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deletedAt!: Date | null;
}

export type RecordFields = Pick<SoftDeletableRecordDto, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
/** The record's own fields, for a response DTO's `from`. */
export const recordFields = (r: RecordFields): RecordFields => ({
  id: r.id,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  deletedAt: r.deletedAt,
});
