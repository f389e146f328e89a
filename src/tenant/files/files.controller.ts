import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { type TenantRequest } from '../../tenancy/index.js';
import { type Actor, CurrentActor } from '../audit/actor.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { RequiresFeature } from '../settings/tenant-settings.js';
import { dispositionOf } from './content-type.js';
import { FileService } from './file.service.js';
import { FileUrlSigner } from './file-url.signer.js';
import { FileDto, FileUrlDto } from './file.response.js';
import { ApiFileBytes, sendFile } from './file-reply.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Files')
@RequiresFeature('files')
@Controller('files')
export class FilesController {
  constructor(
    private readonly files: FileService,
    private readonly signer: FileUrlSigner,
  ) {}

  @Post()
  @TenantAuth('admin', 'manager', 'staff')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'The one part: the file' } },
    },
  })
  @ApiCreatedResponse({ type: FileDto })
  @Operation(
    'uploadFile',
    'Upload a file (multipart, one part named "file")',
    'FILE_TOO_LARGE',
    'QUOTA_EXCEEDED',
  )
  async upload(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FileDto> {
    return FileDto.from(await this.files.upload(actor, request));
  }

  @Get(':id')
  @TenantAuth()
  @ApiOkResponse({ type: FileDto })
  @Operation('getFile', "A file's metadata", 'FILE_NOT_FOUND')
  async get(@Param('id', UuidParam) id: string): Promise<FileDto> {
    return FileDto.from(await this.files.get(id));
  }

  @Get(':id/content')
  @TenantAuth()
  @ApiFileBytes()
  @Operation(
    'getFileContent',
    "A file's bytes (Range requests answered 206)",
    'FILE_NOT_FOUND',
    'RANGE_NOT_SATISFIABLE',
  )
  async content(
    @Param('id', UuidParam) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.files.get(id);
    await sendFile(request, reply, file, (range) => this.files.content(file, range));
  }

  @Get(':id/url')
  @TenantAuth()
  @ApiOkResponse({ type: FileUrlDto })
  @Operation('getFileUrl', 'A signed link to the file, valid 5 minutes, no token needed', 'FILE_NOT_FOUND')
  async url(
    @Param('id', UuidParam) id: string,
    @Req() request: FastifyRequest & TenantRequest,
  ): Promise<FileUrlDto> {
    const file = await this.files.get(id);
    const expiresAt = new Date(Date.now() + this.files.urlTtlSeconds * 1000);
    const url =
      (await this.files.storeUrl(file, dispositionOf(file.name, file.contentType))) ??
      `/api/v1/signed-files/${this.signer.sign({ tenantId: request.tenant!.id, objectId: file.id }, expiresAt)}`;
    return { url, expiresAt: expiresAt.toISOString() };
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantAuth('admin', 'manager', 'staff')
  @Operation('deleteFile', 'Delete a file', 'FILE_NOT_FOUND')
  async remove(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<void> {
    await this.files.remove(actor, id);
  }
}
