import { ApiProperty } from '@nestjs/swagger';
import type { StoredFile } from './stored-file.entity.js';

export class FileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'bytes' }) size!: number;
  @ApiProperty({ description: 'sniffed from the bytes' }) contentType!: string;
  @ApiProperty({ description: 'hex' }) sha256!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;

  static from(file: StoredFile): FileDto {
    return {
      id: file.id,
      name: file.name,
      size: Number(file.size),
      contentType: file.contentType,
      sha256: file.sha256,
      createdAt: file.createdAt.toISOString(),
    };
  }
}

export class FileUrlDto {
  @ApiProperty({ description: 'works without a token until expiresAt; names this one file' }) url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
}
