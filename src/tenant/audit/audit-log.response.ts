import { ApiProperty } from '@nestjs/swagger';
import type { AuditLog, FieldChange } from './audit-log.entity.js';

export class AuditLogDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for the system.' })
  actorId!: string | null;

  @ApiProperty({ example: 'update' })
  action!: string;

  @ApiProperty({ example: 'product' })
  entity!: string;

  @ApiProperty({ format: 'uuid' })
  entityId!: string;

  @ApiProperty({
    description: 'Changed fields: `{ field: { before, after } }`.',
    type: 'object',
    additionalProperties: true,
  })
  changes!: Record<string, FieldChange>;

  @ApiProperty({ nullable: true, type: String })
  requestId!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The client IP, as TRUST_PROXY decides it.' })
  clientIp!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The User-Agent, cut to 200 characters.' })
  userAgent!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  static from(a: AuditLog): AuditLogDto {
    return {
      id: a.id,
      actorId: a.actorId,
      action: a.action,
      entity: a.entity,
      entityId: a.entityId,
      changes: a.changes,
      requestId: a.requestId,
      clientIp: a.clientIp,
      userAgent: a.userAgent,
      createdAt: a.createdAt,
    };
  }
}
