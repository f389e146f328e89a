import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { mapPage, Page } from '../../common/pagination/cursor.js';
import { PageOf } from '../../common/pagination/page.response.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { AuditLogDto } from './audit-log.response.js';
import { AuditLogFilterDto, AuditLogQueryDto } from './audit-log.dto.js';
import { AuditLogService } from './audit-log.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Audit log')
@Controller('audit-logs')
export class AuditLogController {
  constructor(private readonly auditLogs: AuditLogService) {}

  @Get()
  @TenantAuth('admin', 'auditor')
  @ApiOkResponse({ type: PageOf(AuditLogDto) })
  @Operation('listAuditLogs', 'List audit log entries')
  async list(@Query() query: AuditLogQueryDto): Promise<Page<AuditLogDto>> {
    return mapPage(await this.auditLogs.list(query), AuditLogDto.from);
  }

  @Get('export.csv')
  @TenantAuth('admin', 'auditor')
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } } })
  @Operation('exportAuditLogs', 'The audit log as CSV (same filters as the list)')
  async export(@Query() query: AuditLogFilterDto, @Res() reply: FastifyReply): Promise<void> {
    const spooled = await this.auditLogs.exportCsv(query);
    const body = createReadStream(spooled.path);
    // However the reply ends (sent, client gone, error), the spool goes.
    body.once('close', () => void rm(spooled.dir, { recursive: true, force: true }));
    await reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(body);
  }

  @Get(':id')
  @TenantAuth('admin', 'auditor')
  @ApiOkResponse({ type: AuditLogDto })
  @Operation('getAuditLog', 'Get one audit log entry', 'AUDIT_LOG_NOT_FOUND')
  async get(@Param('id', UuidParam) id: string): Promise<AuditLogDto> {
    return AuditLogDto.from(await this.auditLogs.get(id));
  }
}
