import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { TenantConnectionRegistry } from '../../tenancy/index.js';
import { SettingsErrors, TenantSettings } from '../settings/tenant-settings.js';
import { FileErrors } from './file.errors.js';
import { FileService } from './file.service.js';
import { ApiSignedLinkQuery, type SignedQuery } from '../../common/crypto/signed-link.js';
import { FileUrlSigner } from './file-url.signer.js';
import { ApiFileBytes, sendFile } from './file-reply.js';
import type { StoredFile } from './stored-file.entity.js';
import { Operation } from '../../common/openapi/operation.js';

/** A signed link (`GET /files/:id/url` on the local store): no token, no tenant header; the link names both. */
@ApiTags('Files')
@Controller('signed-files')
export class SignedFileController {
  constructor(
    private readonly signer: FileUrlSigner,
    private readonly files: FileService,
    private readonly registry: TenantConnectionRegistry,
    private readonly settings: TenantSettings,
    @InjectDataSource() private readonly core: DataSource,
  ) {}

  @Get(':id')
  @ApiFileBytes()
  @ApiSignedLinkQuery()
  @Operation(
    'downloadSignedFile',
    "A file's bytes through its signed link (no token)",
    'SIGNED_URL_INVALID',
    'FILE_NOT_FOUND',
    'FEATURE_DISABLED',
    'RANGE_NOT_SATISFIABLE',
  )
  async download(
    @Param('id') id: string,
    @Query() query: SignedQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const signed = this.signer.verify(id, query);
    if (!signed) throw FileErrors.badSignature();
    const [org] = (await this.core.query(
      `SELECT settings, server FROM organizations WHERE id = $1 AND status = 'active'`,
      [signed.tenantId],
    )) as { settings: Record<string, unknown>; server: string }[];
    if (!org) throw FileErrors.notFound();
    if (!this.settings.of(org.settings).features.files) throw SettingsErrors.featureDisabled('files');
    const [file] = await this.registry.query<StoredFile & { createdAt: Date }>(
      { id: signed.tenantId, server: org.server },
      `SELECT id, name, size, content_type AS "contentType", sha256, uploader_id AS "uploaderId",
              created_at AS "createdAt" FROM files WHERE id = $1`,
      [signed.objectId],
    );
    if (!file) throw FileErrors.notFound();
    await sendFile(request, reply, file, (range) => this.files.content(file, range, signed.tenantId));
  }
}
