import { api, ApiError } from '../api';
import { stackedBar } from '../charts';
import { emptyState, fill, h, loading, problemBox } from '../dom';
import { duration, num, when } from '../format';
import { heading } from '../layout';
import type { JobRun, Jobs, Queue } from '../types';

const REFRESH_MS = 5000;

function queues(list: Queue[]): HTMLElement {
  if (!list.length) return emptyState('No queue yet.', 'queues-empty');
  return h(
    'table',
    { class: 'grid-table', 'data-testid': 'queues' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Queue'),
        h('th', { class: 'num' }, 'Queued'),
        h('th', { class: 'num' }, 'Active'),
        h('th', { class: 'num' }, 'Failed'),
        h('th', { class: 'num' }, 'Completed'),
        h('th', { class: 'bar-cell' }, ''),
      ),
    ),
    h(
      'tbody',
      {},
      ...list.map((q) =>
        h(
          'tr',
          { 'data-testid': 'queue', 'data-queue': q.name },
          h('td', {}, h('code', {}, q.name)),
          h('td', { class: 'num' }, num(q.queued)),
          h('td', { class: 'num' }, num(q.active)),
          h('td', { class: `num${q.failed ? ' error-text' : ''}` }, num(q.failed)),
          h('td', { class: 'num' }, num(q.completed)),
          h(
            'td',
            { class: 'bar-cell' },
            stackedBar(
              [
                { label: 'queued', value: q.queued, cls: 'seg-pending' },
                { label: 'active', value: q.active, cls: 'seg-busy' },
                { label: 'failed', value: q.failed, cls: 'seg-fail' },
              ],
              Math.max(1, ...list.map((x) => x.queued + x.active + x.failed)),
              { testid: `queue-${q.name}-bar`, title: `${q.name}: queued, active, failed` },
            ),
          ),
        ),
      ),
    ),
  );
}

function recent(list: JobRun[]): HTMLElement {
  if (!list.length) return emptyState('No job has run yet.', 'recent-empty');
  return h(
    'table',
    { class: 'grid-table', 'data-testid': 'recent-jobs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Job', 'Queue', 'State', 'Created', 'Completed', 'Took', 'Error'].map((label) =>
          h('th', {}, label),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...list.map((job) =>
        h(
          'tr',
          { 'data-testid': 'recent-job', 'data-state': job.state },
          h('td', {}, h('code', { title: job.id }, job.id.slice(0, 8))),
          h('td', {}, h('code', {}, job.queue)),
          h('td', {}, h('span', { class: `badge state-${job.state}` }, job.state)),
          h('td', {}, when(job.createdAt)),
          h('td', {}, when(job.completedAt)),
          h('td', {}, duration(job.createdAt, job.completedAt)),
          h('td', { class: 'error-text' }, job.error ?? ''),
        ),
      ),
    ),
  );
}

/** Background work: each queue's counts and the recent runs with their errors, refreshed every 5 s. */
export function renderJobs(main: HTMLElement): () => void {
  const updated = h('span', { class: 'muted', 'data-testid': 'jobs-updated' });
  const body = h('div', { 'data-testid': 'jobs' }, loading());
  main.append(heading('Jobs', updated), body);
  let timer = 0;
  let stopped = false;
  const load = async () => {
    try {
      const jobs = await api<Jobs>('GET', '/jobs');
      if (stopped) return;
      fill(
        body,
        h('section', { class: 'card' }, h('h2', {}, 'Queues'), queues(jobs.queues)),
        h('section', { class: 'card' }, h('h2', {}, 'Recent runs'), recent(jobs.recent)),
      );
      fill(updated, `updated ${when(new Date().toISOString())}`);
    } catch (err) {
      if (stopped) return;
      fill(
        body,
        err instanceof ApiError && err.status === 404
          ? emptyState('This server does not report its jobs (the route answered 404).', 'jobs-empty')
          : problemBox(err),
      );
    }
    if (!stopped) timer = window.setTimeout(load, REFRESH_MS);
  };
  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
