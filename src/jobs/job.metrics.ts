import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** Per job and part (`cluster`, `tenant`): runs by result, and how long they take. */
@Injectable()
export class JobMetrics {
  readonly runs: Counter<'job' | 'part' | 'result'>;
  readonly seconds: Histogram<'job' | 'part'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.runs = new Counter({
      name: 'tenantry_job_runs_total',
      help: 'Job parts run by this instance, by job, part (cluster, tenant) and result (ok, failed)',
      labelNames: ['job', 'part', 'result'],
      registers,
    });
    this.seconds = new Histogram({
      name: 'tenantry_job_duration_seconds',
      help: 'Duration of job parts run by this instance',
      labelNames: ['job', 'part'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
  }

  async time<T>(job: string, part: 'cluster' | 'tenant', fn: () => Promise<T>): Promise<T> {
    const stop = this.seconds.startTimer({ job, part });
    try {
      const result = await fn();
      this.runs.inc({ job, part, result: 'ok' });
      return result;
    } catch (err) {
      this.runs.inc({ job, part, result: 'failed' });
      throw err;
    } finally {
      stop();
    }
  }
}
