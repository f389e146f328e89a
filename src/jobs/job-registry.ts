import { Injectable } from '@nestjs/common';
import { type JobName, type JobParts } from './job-definitions.js';

/** The parts of each job, registered at module init by whichever module owns the job's data. */
@Injectable()
export class JobRegistry {
  private readonly parts = new Map<JobName, JobParts>();

  define(name: JobName, parts: JobParts): void {
    const existing = this.parts.get(name) ?? {};
    if ((parts.cluster && existing.cluster) || (parts.tenant && existing.tenant))
      throw new Error(`job ${name}: a part is defined twice`);
    this.parts.set(name, { ...existing, ...parts });
  }

  get(name: JobName): JobParts {
    const parts = this.parts.get(name);
    if (!parts) throw new Error(`job ${name} has no registered work`);
    return parts;
  }
}
