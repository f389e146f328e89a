import { recentErrorsCard } from './tenant-errors.js';
import { api } from '../api';
import { barChart, chartCard, lineChart, type Series } from '../charts';
import { facts, fill, h, loading, problemBox } from '../dom';
import { ago, bytes, ms, num, when } from '../format';
import { heading } from '../layout';
import type { LastHour, MigrationRun, TenantDetail, TenantRow } from '../types';

const REFRESH_MS = 10_000;

type Action = 'suspend' | 'resume' | 'migrate';

const CONFIRM: Record<Action, string> = {
  suspend: 'Its routes answer 403 TENANT_SUSPENDED until it is resumed.',
  resume: 'Its routes serve again.',
  migrate: 'Its pending migrations run now, under its migration lock.',
};

/** The last 60 minutes, oldest first, each the start of its minute. */
function lastHourSlots(now = Date.now()): Date[] {
  const end = Math.floor(now / 60_000) * 60_000;
  return Array.from({ length: 60 }, (_, i) => new Date(end - (59 - i) * 60_000));
}

function charts(hour: LastHour): HTMLElement {
  const slots = lastHourSlots();
  const index = new Map(slots.map((d, i) => [d.getTime(), i]));
  const series = (
    pick: (m: LastHour['perMinute'][number]) => number | null | undefined,
    zero: number | null,
  ) => {
    const values: (number | null)[] = slots.map(() => zero);
    for (const m of hour.perMinute) {
      const i = index.get(Math.floor(new Date(m.minute).getTime() / 60_000) * 60_000);
      const v = pick(m);
      if (i !== undefined && v !== undefined) values[i] = v;
    }
    return values;
  };
  const requests: Series = { name: 'requests', cls: 'bars', values: series((m) => m.requests, 0) };
  const errors: Series = { name: 'errors', cls: 'bars-error', values: series((m) => m.errors, 0) };
  const latency: Series[] = [{ name: 'p99', cls: 'line-a', values: series((m) => m.p99Ms, null) }];
  if (hour.perMinute.some((m) => m.p50Ms !== undefined))
    latency.unshift({ name: 'p50', cls: 'line-b', values: series((m) => m.p50Ms, null) });
  const perMinuteWaits = hour.perMinute.some((m) => m.waits !== undefined);
  const waits: Series = { name: 'waits', cls: 'bars-wait', values: series((m) => m.waits, 0) };
  return h(
    'div',
    { class: 'charts' },
    chartCard('Requests per minute', 'chart-requests', barChart('Requests per minute', slots, requests), [
      requests,
    ]),
    chartCard('Errors per minute', 'chart-errors', barChart('Errors per minute', slots, errors), [errors]),
    chartCard(
      `Latency per minute (hour: p50 ${ms(hour.p50Ms)}, p99 ${ms(hour.p99Ms)})`,
      'chart-latency',
      lineChart('Latency per minute', slots, latency, ' ms'),
      latency,
    ),
    perMinuteWaits
      ? chartCard('Connection waits per minute', 'chart-waits', barChart('Connection waits', slots, waits), [
          waits,
        ])
      : h(
          'section',
          { class: 'card chart-card', 'data-testid': 'chart-waits' },
          h('h3', {}, 'Connection waits'),
          h('p', { class: 'big-number' }, num(hour.waits)),
          h(
            'p',
            { class: 'muted' },
            'requests that waited for a connection in the last hour (no per-minute series)',
          ),
        ),
  );
}

function summary(t: TenantDetail): HTMLElement {
  const hour = t.lastHour;
  const optional: [string, string, string?][] = [];
  if (t.databaseBytes !== undefined) optional.push(['Database size', bytes(t.databaseBytes)]);
  if (t.lastActivityAt !== undefined) optional.push(['Last activity', ago(t.lastActivityAt)]);
  if (t.lastBackupAt !== undefined) optional.push(['Last backup', ago(t.lastBackupAt)]);
  if (t.lastVerifiedRestoreAt !== undefined)
    optional.push(['Last verified restore', ago(t.lastVerifiedRestoreAt)]);
  return h(
    'div',
    { class: 'columns' },
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Tenant'),
      facts([
        ['Name', t.name],
        ['Owner', t.ownerEmail ?? '—'],
        ['Status', h('span', { class: `badge status-${t.status}` }, t.status), 'tenant-status'],
        ['Server', t.server, 'tenant-server'],
        ['Schema version', h('code', {}, t.schemaVersion ?? '—'), 'tenant-version'],
        ['Created', when(t.createdAt)],
        ['Updated', when(t.updatedAt)],
        ...optional,
      ]),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Last hour'),
      facts([
        ['Requests', num(hour.requests), 'hour-requests'],
        ['Errors (4xx/5xx)', num(hour.errors), 'hour-errors'],
        ['Rate limited (429)', num(hour.limited)],
        ['Unavailable (503)', num(hour.unavailable)],
        ['Connection waits', num(hour.waits), 'hour-waits'],
        ['Connections opened', num(hour.coldConnects)],
        ['p50', ms(hour.p50Ms), 'hour-p50'],
        ['p99', ms(hour.p99Ms), 'hour-p99'],
      ]),
    ),
  );
}

function describe(action: Action, reply: TenantRow | MigrationRun): string {
  if (action !== 'migrate')
    return `${action === 'suspend' ? 'Suspended' : 'Resumed'}: ${reply.slug} is now ${(reply as TenantRow).status}.`;
  const run = reply as MigrationRun;
  const applied = run.migrations.length ? ` (${run.migrations.join(', ')})` : '';
  return `Migrate ${run.slug}: ${run.result}, ${run.from ?? '—'} → ${run.to ?? '—'}${applied} in ${run.ms} ms.${run.error ? ` ${run.error}` : ''}`;
}

/** One tenant: what the catalog says, its last hour in charts, and suspend / resume / migrate. */
export function renderTenant(main: HTMLElement, slug: string): () => void {
  const info = h('div', { 'data-testid': 'tenant' }, loading());
  const actions = h('div', { class: 'actions', 'data-testid': 'tenant-actions' });
  const result = h('div', { class: 'action-result', 'aria-live': 'polite', 'data-testid': 'action-result' });
  const plots = h('div', {});
  let timer = 0;
  let stopped = false;
  /** Only the newest load draws and schedules the next (an action's load may overtake the timer's). */
  let sequence = 0;
  /** While an action is asked for, run or confirmed, the refresh leaves the buttons alone. */
  let busy = false;
  let current: TenantDetail | null = null;

  const run = async (action: Action) => {
    fill(actions);
    fill(result, h('p', { class: 'muted' }, `${action}…`));
    try {
      const reply = await api<TenantRow | MigrationRun>(
        'POST',
        `/tenants/${encodeURIComponent(slug)}/${action}`,
      );
      const failed = action === 'migrate' && (reply as MigrationRun).result === 'failed';
      fill(
        result,
        h(
          'p',
          { class: failed ? 'problem' : 'ok', 'data-testid': 'action-outcome' },
          describe(action, reply),
        ),
      );
    } catch (err) {
      fill(result, problemBox(err, 'action-error'));
    }
    busy = false;
    await load();
  };

  const ask = (action: Action) => {
    busy = true;
    fill(
      actions,
      h(
        'div',
        { class: 'confirm', 'data-testid': 'confirm' },
        h('span', {}, `${action[0].toUpperCase()}${action.slice(1)} ${slug}? ${CONFIRM[action]}`),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            'data-testid': 'action-confirm',
            onclick: () => void run(action),
          },
          'Confirm',
        ),
        h('button', { type: 'button', 'data-testid': 'action-cancel', onclick: cancel }, 'Cancel'),
      ),
    );
  };

  const cancel = () => {
    busy = false;
    if (current) buttons(current);
  };

  const buttons = (t: TenantDetail) =>
    fill(
      actions,
      t.status === 'active'
        ? h(
            'button',
            { type: 'button', 'data-testid': 'action-suspend', onclick: () => ask('suspend') },
            'Suspend',
          )
        : null,
      t.status === 'suspended'
        ? h(
            'button',
            { type: 'button', 'data-testid': 'action-resume', onclick: () => ask('resume') },
            'Resume',
          )
        : null,
      t.status === 'active' || t.status === 'suspended'
        ? h(
            'button',
            { type: 'button', 'data-testid': 'action-migrate', onclick: () => ask('migrate') },
            'Migrate now',
          )
        : null,
    );

  const errors = h('div', { class: 'card' });

  async function load(): Promise<void> {
    window.clearTimeout(timer);
    const mine = ++sequence;
    try {
      const t = await api<TenantDetail>('GET', `/tenants/${encodeURIComponent(slug)}`);
      if (stopped || mine !== sequence) return;
      fill(info, summary(t));
      fill(plots, charts(t.lastHour));
      fill(errors, recentErrorsCard(t.recentErrors ?? []));
      current = t;
      if (!busy) buttons(t);
    } catch (err) {
      if (stopped || mine !== sequence) return;
      fill(info, problemBox(err));
      fill(plots);
    }
    if (!stopped && mine === sequence) timer = window.setTimeout(() => void load(), REFRESH_MS);
  }

  main.append(
    heading(slug, h('a', { href: '#/tenants', class: 'muted' }, '← all tenants')),
    actions,
    result,
    info,
    h('h2', {}, 'The last hour'),
    plots,
    h('h2', {}, 'Recent errors'),
    errors,
  );
  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
