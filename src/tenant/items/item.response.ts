import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { recordFields, SoftDeletableRecordDto } from '../../common/entities/soft-deletable-record.dto.js';
import type { Item } from './item.entity.js';
import { AttachmentsReply } from '../files/attachments.js';

export class ItemDto extends SoftDeletableRecordDto {
  @ApiProperty({ format: 'uuid', description: 'The user who created it.' })
  ownerId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @AttachmentsReply()
  attachments!: string[];

  @ApiPropertyOptional({ description: 'Full-text rank, on `?q=` searches only.' })
  rank?: number;

  static from(i: Item & { rank?: number }): ItemDto {
    const dto: ItemDto = {
      ...recordFields(i),
      ownerId: i.ownerId,
      title: i.title,
      body: i.body,
      tags: i.tags,
      attachments: i.attachmentIds ?? [],
    };
    if (i.rank !== undefined) dto.rank = i.rank;
    return dto;
  }
}
