import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ExportLinks } from '../../common/crypto/export-links.js';
import { ApiSignedLinkQuery, type SignedQuery } from '../../common/crypto/signed-link.js';
import { FileErrors } from '../files/file.errors.js';
import { TenantExport } from './tenant-export.service.js';
import { Operation } from '../../common/openapi/operation.js';

/** An export archive through its signed link: no token, no tenant header; the link names both. */
@ApiTags('Organizations')
@Controller('exports/signed')
export class ExportDownloadController {
  constructor(
    private readonly links: ExportLinks,
    private readonly exports: TenantExport,
    @InjectDataSource() private readonly core: DataSource,
  ) {}

  @Get(':id')
  @ApiOkResponse({ content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiSignedLinkQuery()
  @Operation(
    'downloadExport',
    'Download an export archive through its signed link',
    'SIGNED_URL_INVALID',
    'JOB_NOT_FOUND',
  )
  async download(
    @Param('id') id: string,
    @Query() query: SignedQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const signed = this.links.verify(id, query);
    if (!signed) throw FileErrors.badSignature();
    const [org] = (await this.core.query(
      `SELECT slug FROM organizations WHERE id = $1 AND status IN ('active', 'suspended')`,
      [signed.tenantId],
    )) as { slug: string }[];
    if (!org) throw FileErrors.notFound();
    const archive = await this.exports.read(signed.tenantId, signed.objectId).catch(() => {
      throw FileErrors.notFound();
    });
    await reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${org.slug}-export.zip"`)
      .header('cache-control', 'no-store')
      .send(archive);
  }
}
