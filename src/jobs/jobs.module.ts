import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue.service.js';
import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.service.js';
import { JobStatus } from './job-status.service.js';
import { JobMetrics } from './job.metrics.js';

/** Jobs on pg-boss (docs/reference/operations.md): modules owning a job's data register its parts in JobRegistry. */
@Global()
@Module({
  providers: [JobQueue, JobRegistry, JobRunner, JobStatus, JobMetrics],
  exports: [JobRegistry, JobRunner, JobStatus],
})
export class JobsModule {}
