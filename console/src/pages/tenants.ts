import { api, query } from '../api';
import { type Child, emptyState, fill, h, loading, problemBox } from '../dom';
import { ago, bytes, ms, num } from '../format';
import { heading } from '../layout';
import type { Server, TenantPage, TenantRow } from '../types';

const STATUSES = [
  'active',
  'suspended',
  'provisioning',
  'restoring',
  'moving',
  'failed',
  'deleted',
  'deleting',
];
const SORTS: [string, string][] = [
  ['', 'slug'],
  ['size', 'size'],
  ['load', 'load'],
  ['activity', 'activity'],
];
const PAGE_SIZE = 50;
const DEBOUNCE_MS = 300;

interface Filters {
  server: string;
  status: string;
  version: string;
  q: string;
  sort: string;
  order: string;
}

/** A column shown when the rows carry its field (the list's figures are optional in the API). */
interface Column {
  label: string;
  field?: keyof TenantRow;
  cell: (row: TenantRow) => Child;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { label: 'Slug', cell: (r) => h('a', { href: `#/tenants/${encodeURIComponent(r.slug)}` }, r.slug) },
  { label: 'Name', cell: (r) => r.name },
  { label: 'Owner', cell: (r) => r.ownerEmail ?? '—' },
  { label: 'Status', cell: (r) => h('span', { class: `badge status-${r.status}` }, r.status) },
  { label: 'Server', cell: (r) => r.server },
  { label: 'Version', cell: (r) => h('code', { class: 'version' }, r.schemaVersion ?? '—') },
  { label: 'Size', field: 'databaseBytes', cell: (r) => bytes(r.databaseBytes), numeric: true },
  { label: 'Last activity', field: 'lastActivityAt', cell: (r) => ago(r.lastActivityAt) },
  { label: 'Req/min', field: 'requestsPerMinute', cell: (r) => num(r.requestsPerMinute), numeric: true },
  { label: 'p99', field: 'p99Ms', cell: (r) => ms(r.p99Ms), numeric: true },
  { label: 'Last backup', field: 'lastBackupAt', cell: (r) => ago(r.lastBackupAt) },
  { label: 'Verified restore', field: 'lastVerifiedRestoreAt', cell: (r) => ago(r.lastVerifiedRestoreAt) },
];

function select(name: string, options: [string, string][], value: string): HTMLSelectElement {
  const el = h(
    'select',
    { name, 'data-testid': `filter-${name}` },
    ...options.map(([v, label]) => h('option', { value: v }, label)),
  );
  el.value = value;
  return el;
}

function table(rows: TenantRow[]): HTMLElement {
  const columns = COLUMNS.filter((c) => !c.field || rows.some((r) => r[c.field!] !== undefined));
  return h(
    'table',
    { class: 'grid-table clickable', 'data-testid': 'tenant-table' },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { class: c.numeric ? 'num' : '' }, c.label)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          {
            'data-testid': 'tenant-row',
            'data-slug': row.slug,
            onclick: () => (location.hash = `#/tenants/${encodeURIComponent(row.slug)}`),
          },
          ...columns.map((c) => h('td', { class: c.numeric ? 'num' : '' }, c.cell(row))),
        ),
      ),
    ),
  );
}

/** The tenant table: filters (server, status, version, text), sort, and the API's keyset pages. */
export function renderTenants(main: HTMLElement, params: URLSearchParams): () => void {
  const filters: Filters = {
    server: params.get('server') ?? '',
    status: params.get('status') ?? '',
    version: params.get('version') ?? '',
    q: params.get('q') ?? '',
    sort: params.get('sort') ?? '',
    order: params.get('order') ?? 'desc',
  };
  /** The cursors of the pages before this one (the first page has none). */
  let cursors: (string | null)[] = [];
  let cursor: string | null = null;
  let nextCursor: string | null = null;
  let sequence = 0;
  let debounce = 0;

  const server = select(
    'server',
    [['', 'all servers'], ...(filters.server ? [[filters.server, filters.server] as [string, string]] : [])],
    filters.server,
  );
  const status = select(
    'status',
    [['', 'any status'], ...STATUSES.map((x): [string, string] => [x, x])],
    filters.status,
  );
  const version = h('input', {
    type: 'search',
    name: 'version',
    placeholder: 'schema version',
    'data-testid': 'filter-version',
  });
  const text = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'slug, name or owner email',
    'data-testid': 'filter-q',
  });
  const sort = select('sort', SORTS, filters.sort);
  const order = select(
    'order',
    [
      ['desc', 'descending'],
      ['asc', 'ascending'],
    ],
    filters.order,
  );
  version.value = filters.version;
  text.value = filters.q;

  const body = h('div', { class: 'table-wrap' }, loading());
  const pageNumber = h('span', { class: 'muted', 'data-testid': 'page-number' });
  const previous = h(
    'button',
    { type: 'button', 'data-testid': 'previous-page', disabled: true },
    '← Previous page',
  );
  const next = h('button', { type: 'button', 'data-testid': 'next-page', disabled: true }, 'Next page →');

  const load = async () => {
    const mine = ++sequence;
    body.setAttribute('aria-busy', 'true');
    try {
      const page = await api<TenantPage>(
        'GET',
        `/tenants${query({
          server: filters.server,
          status: filters.status,
          version: filters.version,
          q: filters.q,
          sort: filters.sort,
          order: filters.sort ? filters.order : null,
          limit: PAGE_SIZE,
          cursor,
        })}`,
      );
      if (mine !== sequence) return;
      nextCursor = page.nextCursor;
      fill(
        body,
        page.data.length
          ? table(page.data)
          : emptyState(
              cursors.length ? 'No more tenants.' : 'No tenant matches these filters.',
              'tenants-empty',
            ),
      );
      fill(
        pageNumber,
        `page ${cursors.length + 1} · ${page.data.length} tenant${page.data.length === 1 ? '' : 's'}`,
      );
    } catch (err) {
      if (mine !== sequence) return;
      nextCursor = null;
      fill(body, problemBox(err));
    } finally {
      if (mine === sequence) body.removeAttribute('aria-busy');
    }
    previous.disabled = cursors.length === 0;
    next.disabled = nextCursor === null;
  };

  /** New filters: back to the first page, and into the address, so the view can be bookmarked. */
  const refilter = () => {
    Object.assign(filters, {
      server: server.value,
      status: status.value,
      version: version.value.trim(),
      q: text.value.trim(),
      sort: sort.value,
      order: order.value,
    });
    cursors = [];
    cursor = null;
    const search = query({ ...filters, order: filters.sort ? filters.order : null });
    history.replaceState(null, '', `#/tenants${search}`);
    void load();
  };
  const typed = () => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(refilter, DEBOUNCE_MS);
  };
  for (const el of [server, status, sort, order]) el.addEventListener('change', refilter);
  for (const el of [version, text]) el.addEventListener('input', typed);
  next.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(cursor);
    cursor = nextCursor;
    void load();
  });
  previous.addEventListener('click', () => {
    if (!cursors.length) return;
    cursor = cursors.pop() ?? null;
    void load();
  });

  main.append(
    heading('Tenants'),
    h(
      'form',
      { class: 'filters', 'data-testid': 'tenant-filters', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { class: 'field' }, 'Search', text),
      h('label', { class: 'field' }, 'Server', server),
      h('label', { class: 'field' }, 'Status', status),
      h('label', { class: 'field' }, 'Version', version),
      h('label', { class: 'field' }, 'Sort by', sort),
      h('label', { class: 'field' }, 'Order', order),
    ),
    body,
    h('div', { class: 'pager' }, previous, pageNumber, next),
  );

  void api<Server[]>('GET', '/servers')
    .then((servers) => {
      for (const s of servers)
        if (s.name !== filters.server) server.append(h('option', { value: s.name }, s.name));
      server.value = filters.server;
    })
    .catch(() => undefined); // the filter still takes the address's server; the table shows any error
  void load();
  return () => {
    sequence++;
    window.clearTimeout(debounce);
  };
}
