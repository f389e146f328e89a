import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { Page } from '../../common/pagination/cursor.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { AuditLog } from './audit-log.entity.js';
import { AuditLogFilterDto, AuditLogQueryDto } from './audit-log.dto.js';
import { AuditLogService } from './audit-log.service.js';

@ApiTags('tenant: audit log')
@Controller('audit-logs')
export class AuditLogController {
  constructor(private readonly auditLogs: AuditLogService) {}

  @Get()
  @TenantAuth('admin', 'auditor')
  list(@Query() query: AuditLogQueryDto): Promise<Page<AuditLog>> {
    return this.auditLogs.list(query);
  }

  @Get('export.csv')
  @TenantAuth('admin', 'auditor')
  @ApiProduces('text/csv')
  async export(@Query() query: AuditLogFilterDto, @Res() reply: FastifyReply): Promise<void> {
    const body = new PassThrough();
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(body);
    await this.auditLogs.exportCsv(query, body).catch((err: Error) => body.destroy(err));
  }

  @Get(':id')
  @TenantAuth('admin', 'auditor')
  get(@Param('id', UuidParam) id: string): Promise<AuditLog> {
    return this.auditLogs.get(id);
  }
}
