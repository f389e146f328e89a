import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';

/** At most this many files on one record. */
export const MAX_ATTACHMENTS = 20;

/** `attachments: [fileId]` on a create or update body: file ids of the same tenant (checked in the write). */
export function AttachmentsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: MAX_ATTACHMENTS,
      description: 'file ids',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_ATTACHMENTS),
    IsUUID('all', { each: true }),
  );
}

/** `attachments` on a reply. */
export const AttachmentsReply = () =>
  ApiProperty({ type: [String], format: 'uuid', description: 'file ids' });

/** A body's `attachments` as the entity's `attachmentIds` (deduplicated), or nothing when absent. */
export function attachmentValues<T extends { attachments?: string[] }>(
  dto: T,
): Omit<T, 'attachments'> & { attachmentIds?: string[] } {
  const { attachments, ...rest } = dto;
  return attachments === undefined ? rest : { ...rest, attachmentIds: [...new Set(attachments)] };
}
