import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PoolUseDto {
  @ApiProperty({ type: 'integer' }) open!: number;
  @ApiProperty({ type: 'integer' }) inUse!: number;
  @ApiProperty({ type: 'integer' }) idle!: number;
  @ApiProperty({ type: 'integer' }) waiting!: number;
}

export class MigrationRunDto {
  @ApiProperty() slug!: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
  @ApiProperty({ enum: ['migrated', 'up-to-date', 'failed'] }) result!: string;
  @ApiProperty({ type: [String], description: 'the migrations it applied' }) migrations!: string[];
  @ApiProperty({ type: 'integer' }) ms!: number;
  @ApiPropertyOptional({ description: 'why it failed (its transaction rolled back)' }) error?: string;
}

export class OperatorServerDto {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'host:port, never a password' }) host!: string;
  @ApiProperty({ type: String, nullable: true }) pooler!: string | null;
  @ApiProperty({ enum: ['active', 'draining'] }) status!: string;
  @ApiProperty({ type: 'integer' }) capacity!: number;
  @ApiProperty({ type: 'integer' }) tenants!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'client backends open on the server' })
  connections!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'bytes of its tenant databases' })
  bytes!: number | null;
  @ApiProperty({ type: String, nullable: true }) version!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) maxConnections!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "this instance's tenant-connection budget there",
  })
  budget!: number | null;
  @ApiProperty({ type: PoolUseDto, nullable: true, description: "this instance's tenant connections there" })
  pool!: PoolUseDto | null;
}
