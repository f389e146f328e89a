import { api, ApiError } from '../api';
import { type Segment, stackedBar } from '../charts';
import { emptyState, facts, fill, h, loading, problemBox } from '../dom';
import { when } from '../format';
import { heading } from '../layout';
import type { FleetRun, FleetRunDetail, FleetRunFailure, Progress } from '../types';

/** While a run is running the page follows it closely; otherwise it only looks now and then. */
const RUNNING_REFRESH_MS = 2000;
const IDLE_REFRESH_MS = 15_000;
/** Failures are listed for the newest runs that have any, this many at most (one request each). */
const DETAILED_RUNS = 5;

const segments = (p: Progress): Segment[] => [
  { label: 'migrated', value: p.migrated, cls: 'seg-done' },
  { label: 'up to date', value: p.upToDate, cls: 'seg-same' },
  { label: 'failed', value: p.failed, cls: 'seg-fail' },
  ...(p.skipped ? [{ label: 'skipped', value: p.skipped, cls: 'seg-skip' }] : []),
  { label: 'pending', value: p.pending, cls: 'seg-pending' },
];

function failuresTable(failures: FleetRunFailure[], waveNames: Map<number, string>): HTMLElement {
  if (!failures.length) return emptyState('No failure recorded.', 'run-failures-empty');
  return h(
    'table',
    { class: 'grid-table', 'data-testid': 'run-failures' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'Tenant'), h('th', {}, 'Wave'), h('th', {}, 'When'), h('th', {}, 'Error')),
    ),
    h(
      'tbody',
      {},
      ...failures.map((f) =>
        h(
          'tr',
          { 'data-testid': 'run-failure' },
          h('td', {}, h('a', { href: `#/tenants/${encodeURIComponent(f.slug)}` }, f.slug)),
          h('td', {}, typeof f.wave === 'number' ? (waveNames.get(f.wave) ?? String(f.wave)) : f.wave),
          h('td', {}, when(f.at)),
          h('td', { class: 'error-text' }, f.error ?? '—'),
        ),
      ),
    ),
  );
}

/** The fleet's migration runs: each with its waves' progress, its failures, pause and resume. */
export function renderRuns(main: HTMLElement): () => void {
  const updated = h('span', { class: 'muted', 'data-testid': 'runs-updated' });
  const body = h('div', { class: 'runs', 'data-testid': 'runs' }, loading());
  main.append(heading('Fleet runs', updated), body);
  const messages = new Map<string, Node>();
  let timer = 0;
  let stopped = false;
  /** Only the newest load draws and schedules the next (an action's load may overtake the timer's). */
  let sequence = 0;

  const act = async (run: FleetRun, action: 'pause' | 'resume') => {
    try {
      const reply = await api<FleetRun>('POST', `/fleet-runs/${encodeURIComponent(run.id)}/${action}`);
      messages.set(
        run.id,
        h(
          'p',
          { class: 'ok', 'data-testid': 'run-outcome' },
          `Run ${action === 'pause' ? 'paused' : 'resumed'}: now ${reply.status}.`,
        ),
      );
    } catch (err) {
      messages.set(run.id, problemBox(err, 'run-error'));
    }
    await load();
  };

  const card = (run: FleetRun, detail: FleetRunDetail | undefined): HTMLElement => {
    const waveNames = new Map(run.waves.map((w) => [w.index, w.name]));
    return h(
      'section',
      { class: 'card run', 'data-testid': `run-${run.id}`, 'data-status': run.status },
      h(
        'div',
        { class: 'card-head' },
        h('h2', {}, `Run ${run.id.slice(0, 8)}`),
        h('span', { class: `badge status-${run.status}`, 'data-testid': 'run-status' }, run.status),
        run.status === 'running'
          ? h(
              'button',
              { type: 'button', 'data-testid': 'run-pause', onclick: () => void act(run, 'pause') },
              'Pause',
            )
          : null,
        run.status === 'paused'
          ? h(
              'button',
              { type: 'button', 'data-testid': 'run-resume', onclick: () => void act(run, 'resume') },
              'Resume',
            )
          : null,
      ),
      messages.get(run.id) ?? null,
      facts([
        ['Started', `${when(run.createdAt)} by ${run.createdBy}`],
        ['Last change', when(run.updatedAt)],
        ['Target version', h('code', {}, run.targetVersion ?? '—')],
        ['Failure rate allowed', `${+(run.maxFailureRate * 100).toFixed(2)} % per wave`],
        ...(run.concurrency
          ? [['Concurrency', `${run.concurrency} tenants at once`] as [string, string]]
          : []),
        ...(run.pausedReason
          ? [['Paused because', run.pausedReason, 'run-paused-reason'] as [string, string, string]]
          : []),
      ]),
      h('h3', {}, `All tenants (${run.totals.tenants})`),
      stackedBar(segments(run.totals), run.totals.tenants, {
        testid: 'run-totals',
        title: 'The run as a whole',
      }),
      h('h3', {}, 'Waves'),
      h(
        'ol',
        { class: 'waves' },
        ...run.waves.map((w) =>
          h(
            'li',
            { 'data-testid': 'run-wave', 'data-wave': w.name },
            h('span', { class: 'wave-name' }, `${w.name} (${w.tenants})`),
            stackedBar(segments(w), w.tenants, { testid: `run-wave-${w.index}`, title: `Wave ${w.name}` }),
          ),
        ),
      ),
      run.totals.failed > 0
        ? h(
            'div',
            {},
            h('h3', {}, 'Failures'),
            detail ? failuresTable(detail.failures, waveNames) : loading(),
          )
        : null,
    );
  };

  async function load(): Promise<void> {
    window.clearTimeout(timer);
    const mine = ++sequence;
    let running = false;
    try {
      const runs = await api<FleetRun[]>('GET', '/fleet-runs');
      running = runs.some((r) => r.status === 'running');
      const withFailures = runs.filter((r) => r.totals.failed > 0).slice(0, DETAILED_RUNS);
      const details = new Map(
        (
          await Promise.all(
            withFailures.map((r) =>
              api<FleetRunDetail>('GET', `/fleet-runs/${encodeURIComponent(r.id)}`).catch(() => null),
            ),
          )
        )
          .filter((d): d is FleetRunDetail => d !== null)
          .map((d) => [d.id, d]),
      );
      if (stopped || mine !== sequence) return;
      fill(
        body,
        runs.length
          ? runs.map((r) => card(r, details.get(r.id)))
          : emptyState('No fleet run yet: `migrate:tenants --waves …` starts one.', 'runs-empty'),
      );
      fill(
        updated,
        `updated ${when(new Date().toISOString())}${running ? ' · following the running run every 2 s' : ''}`,
      );
    } catch (err) {
      if (stopped || mine !== sequence) return;
      fill(
        body,
        err instanceof ApiError && err.status === 404
          ? emptyState('This server does not report fleet runs (the route answered 404).', 'runs-empty')
          : problemBox(err),
      );
    }
    if (!stopped && mine === sequence)
      timer = window.setTimeout(() => void load(), running ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS);
  }

  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
