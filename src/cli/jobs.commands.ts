import { Command, CommandRunner, Option } from 'nest-commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JOB_NAMES, type JobName, triggerQueue } from '../jobs/job-definitions.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { JobStatus } from '../jobs/job-status.service.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { collectSlugs } from './options.js';
import { formatTable } from './table.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString().replace('.000Z', 'Z') : null);

@Command({ name: 'jobs:list', description: 'Each job: its schedule, last run, result and next run.' })
export class JobsListCommand extends CommandRunner {
  constructor(
    private readonly status: JobStatus,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  async run(): Promise<void> {
    await assertCoreCurrent(this.core);
    const jobs = await this.status.summaries();
    console.log(
      formatTable(
        ['job', 'schedule', 'last run', 'result', 'next run'],
        jobs.map((j) => [j.name, j.schedule, iso(j.lastRun), j.result, iso(j.nextRun)]),
      ),
    );
  }
}

/** Runnable by hand: maintenance has its own command (`tenants:maintain`); an export is the owner's (its route). */
const RUNNABLE = JOB_NAMES.filter((n) => n !== 'maintenance' && n !== 'export' && n !== 'move');

@Command({
  name: 'jobs:run',
  arguments: '<name>',
  description: `Run a job now and wait for it (${RUNNABLE.join(', ')}); this process works on it too.`,
})
export class JobsRunCommand extends CommandRunner {
  constructor(
    private readonly runner: JobRunner,
    private readonly status: JobStatus,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'a tenant (repeatable); default: all active' })
  parseTenant(value: string, previous: string[] = []): string[] {
    return collectSlugs(value, previous);
  }

  async run([name]: string[], options: { tenant?: string[] } = {}): Promise<void> {
    if (!(RUNNABLE as readonly string[]).includes(name))
      throw new Error(`unknown job "${name}"; one of: ${RUNNABLE.join(', ')}`);
    await assertCoreCurrent(this.core);
    const job = name as JobName;
    await this.runner.work([job]);
    const runId = await this.runner.trigger(job, options.tenant ?? []);
    console.log(`${job}: run ${runId} queued`);
    for (;;) {
      await sleep(500);
      const trigger = await this.status.find(triggerQueue(job), runId);
      if (trigger?.state === 'failed') throw new Error(`${job} failed: ${JSON.stringify(trigger.output)}`);
      if (trigger?.state !== 'completed') continue;
      const tally = await this.status.tally(job, runId);
      if (!tally.created && !tally.retry && !tally.active) break;
    }
    const rows = await this.status.jobsOfRun(job, runId);
    if (rows.length > 0)
      console.log(
        formatTable(
          ['tenant', 'result', 'output'],
          rows.map((r) => [r.slug, r.state, JSON.stringify(r.output ?? {})]),
        ),
      );
    const failed = rows.filter((r) => r.state !== 'completed').length;
    console.log(`\n${job}: ${rows.length} tenants, ${rows.length - failed} completed, ${failed} failed`);
    if (failed > 0) process.exitCode = 1;
  }
}
