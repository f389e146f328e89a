import { emptyState, h } from '../dom.js';
import { when } from '../format.js';
import type { RecentError } from '../types.js';

/** A tenant's newest error replies (every instance), by route pattern and problem code. */
export function recentErrorsCard(list: RecentError[]): HTMLElement {
  if (!list.length) return emptyState('No error reply recently.', 'recent-errors-empty');
  return h(
    'table',
    { class: 'grid-table', 'data-testid': 'recent-errors' },
    h('thead', {}, h('tr', {}, ...['When', 'Request', 'Status', 'Code'].map((label) => h('th', {}, label)))),
    h(
      'tbody',
      {},
      ...list.map((e) =>
        h(
          'tr',
          { 'data-testid': 'recent-error' },
          h('td', {}, when(e.at)),
          h('td', {}, h('code', {}, `${e.method} ${e.route}`)),
          h('td', {}, String(e.status)),
          h('td', { class: 'error-text' }, e.code ?? ''),
        ),
      ),
    ),
  );
}
