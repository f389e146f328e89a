import { ApiProperty } from '@nestjs/swagger';
import { FLEET_RUN_STATUSES } from '../tenancy/index.js';

export class FleetCountsDto {
  @ApiProperty({ type: 'integer' }) tenants!: number;
  @ApiProperty({ type: 'integer' }) migrated!: number;
  @ApiProperty({ type: 'integer' }) upToDate!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
  @ApiProperty({ type: 'integer', description: 'no longer active when the wave reached them' })
  skipped!: number;
  @ApiProperty({ type: 'integer' }) pending!: number;
}

export class FleetWaveDto extends FleetCountsDto {
  @ApiProperty({ type: 'integer', description: '0 for the canaries when there are any' }) index!: number;
  @ApiProperty({ description: '`canary`, or the cumulative percentage the wave reaches (`10%`)' })
  name!: string;
}

export class FleetRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: FLEET_RUN_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'an operator email, or `cli:<machine user>`' }) createdBy!: string;
  @ApiProperty({ type: String, nullable: true }) targetVersion!: string | null;
  @ApiProperty({ minimum: 0, maximum: 1 }) maxFailureRate!: number;
  @ApiProperty({ type: 'integer' }) concurrency!: number;
  @ApiProperty({ type: String, nullable: true }) pausedReason!: string | null;
  @ApiProperty({ type: [FleetWaveDto] }) waves!: FleetWaveDto[];
  @ApiProperty({ type: FleetCountsDto }) totals!: FleetCountsDto;
}

export class FleetFailureDto {
  @ApiProperty() slug!: string;
  @ApiProperty() wave!: string;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) at!: string | null;
}

export class FleetRunDetailDto extends FleetRunDto {
  @ApiProperty({ type: [FleetFailureDto], description: 'its failed tenants (up to 500)' })
  failures!: FleetFailureDto[];
}

export class QueueCountsDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) queued!: number;
  @ApiProperty({ type: 'integer' }) active!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
  @ApiProperty({ type: 'integer' }) completed!: number;
}

export class RecentJobDto {
  @ApiProperty() id!: string;
  @ApiProperty() queue!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class OperatorJobsDto {
  @ApiProperty({ type: [QueueCountsDto] }) queues!: QueueCountsDto[];
  @ApiProperty({ type: [RecentJobDto], description: 'the 50 newest jobs' }) recent!: RecentJobDto[];
}
