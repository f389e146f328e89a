import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Item } from './item.entity.js';

export class ItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deletedAt!: Date | null;

  @ApiProperty({ format: 'uuid', description: 'The user who created it.' })
  ownerId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiPropertyOptional({ description: 'Full-text rank, on `?q=` searches only.' })
  rank?: number;

  static from(i: Item & { rank?: number }): ItemDto {
    const dto: ItemDto = {
      id: i.id,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      deletedAt: i.deletedAt,
      ownerId: i.ownerId,
      title: i.title,
      body: i.body,
      tags: i.tags,
    };
    if (i.rank !== undefined) dto.rank = i.rank;
    return dto;
  }
}
