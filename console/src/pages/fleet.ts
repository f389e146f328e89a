import { api } from '../api';
import { stackedBar } from '../charts';
import { facts, fill, h, loading, problemBox } from '../dom';
import { bytes, num, when } from '../format';
import { heading } from '../layout';
import type { Server } from '../types';

const REFRESH_MS = 5000;

/** One server: its Postgres, this instance's connection budget there and how it is used, its tenants. */
function serverCard(server: Server): HTMLElement {
  const id = `server-${server.name}`;
  const pool = server.pool;
  const budget = server.budget ?? 0;
  const connections = pool
    ? stackedBar(
        [
          { label: 'in use', value: pool.inUse, cls: 'seg-busy' },
          { label: 'idle', value: pool.idle, cls: 'seg-idle' },
          { label: 'free', value: Math.max(0, budget - pool.open), cls: 'seg-free' },
          { label: 'waiting', value: pool.waiting, cls: 'seg-wait' },
        ],
        Math.max(budget, pool.open + pool.waiting),
        {
          testid: `${id}-pool`,
          title: `Connections of this instance on ${server.name}`,
          marker: server.budget === null ? undefined : { at: budget, label: `budget ${budget}` },
        },
      )
    : h('p', { class: 'muted' }, 'This instance holds no connection pool there yet.');
  return h(
    'section',
    { class: 'card server', 'data-testid': id },
    h(
      'div',
      { class: 'card-head' },
      h('h2', {}, server.name),
      h('span', { class: `badge status-${server.status}`, 'data-testid': `${id}-status` }, server.status),
    ),
    facts([
      ['Host', h('code', {}, server.host)],
      ['Pooler', server.pooler ? h('code', {}, server.pooler) : 'none'],
      ['Postgres', server.version ?? '—'],
      ['max_connections', num(server.maxConnections), `${id}-max-connections`],
      ['Connection budget', num(server.budget), `${id}-budget`],
      ['Open', pool ? `${pool.open} (in use ${pool.inUse}, idle ${pool.idle})` : '—', `${id}-open`],
      ['Waiting', pool ? num(pool.waiting) : '—', `${id}-waiting`],
      ['Client backends', num(server.connections)],
      ['Tenant databases', bytes(server.bytes)],
    ]),
    h('h3', {}, 'Tenant connections (this instance)'),
    connections,
    h('h3', {}, 'Tenants'),
    stackedBar(
      [
        { label: 'tenants', value: server.tenants, cls: 'seg-done' },
        { label: 'room', value: Math.max(0, server.capacity - server.tenants), cls: 'seg-free' },
      ],
      Math.max(server.capacity, server.tenants),
      { testid: `${id}-tenants`, title: `Tenants on ${server.name} against its capacity` },
    ),
    h(
      'p',
      {},
      h('span', { 'data-testid': `${id}-tenant-count` }, `${server.tenants} of ${server.capacity}`),
      ' · ',
      h('a', { href: `#/tenants?server=${encodeURIComponent(server.name)}` }, 'its tenants'),
    ),
  );
}

/** The fleet overview: every database server, refreshed every 5 s. */
export function renderFleet(main: HTMLElement): () => void {
  const updated = h('span', { class: 'muted', 'data-testid': 'fleet-updated' });
  const body = h('div', { class: 'servers', 'data-testid': 'fleet' }, loading());
  main.append(heading('Fleet', updated), body);
  let timer = 0;
  let stopped = false;
  const load = async () => {
    try {
      const servers = await api<Server[]>('GET', '/servers');
      if (stopped) return;
      const tenants = servers.reduce((sum, server) => sum + server.tenants, 0);
      fill(
        body,
        h(
          'p',
          { class: 'summary', 'data-testid': 'fleet-summary' },
          `${servers.length} server${servers.length === 1 ? '' : 's'}, ${tenants} tenant${tenants === 1 ? '' : 's'}`,
        ),
        ...servers.map(serverCard),
      );
      fill(updated, `updated ${when(new Date().toISOString())}`);
    } catch (err) {
      if (!stopped) fill(body, problemBox(err));
    }
    if (!stopped) timer = window.setTimeout(load, REFRESH_MS);
  };
  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
