import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { mapPage, Page } from '../../common/pagination/cursor.js';
import { PageOf } from '../../common/pagination/page.response.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { AuditLogDto } from './audit-log.response.js';
import { AuditLogFilterDto, AuditLogQueryDto } from './audit-log.dto.js';
import { AuditLogService } from './audit-log.service.js';

@ApiTags('tenant: audit log')
@Controller('audit-logs')
export class AuditLogController {
  constructor(private readonly auditLogs: AuditLogService) {}

  @Get()
  @TenantAuth('admin', 'auditor')
  @ApiOkResponse({ type: PageOf(AuditLogDto) })
  async list(@Query() query: AuditLogQueryDto): Promise<Page<AuditLogDto>> {
    return mapPage(await this.auditLogs.list(query), AuditLogDto.from);
  }

  @Get('export.csv')
  @TenantAuth('admin', 'auditor')
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } } })
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
  @ApiOkResponse({ type: AuditLogDto })
  async get(@Param('id', UuidParam) id: string): Promise<AuditLogDto> {
    return AuditLogDto.from(await this.auditLogs.get(id));
  }
}
