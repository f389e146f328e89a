import { logout } from './api';
import { h } from './dom';
import type { Session } from './session';

export const NAV: [string, string, string][] = [
  ['#/fleet', 'Fleet', 'nav-fleet'],
  ['#/tenants', 'Tenants', 'nav-tenants'],
  ['#/runs', 'Fleet runs', 'nav-runs'],
  ['#/jobs', 'Jobs', 'nav-jobs'],
];

/** The frame of every page but the login: the navigation, who is signed in, and a main area for the page. */
export function shell(app: HTMLElement, active: string, session: Session): HTMLElement {
  const main = h('main', { class: 'page', 'data-testid': 'page' });
  const signOut = h(
    'button',
    {
      type: 'button',
      class: 'link-button',
      'data-testid': 'logout',
      onclick: async () => {
        signOut.disabled = true;
        await logout();
        location.hash = '#/login';
      },
    },
    'Sign out',
  );
  app.replaceChildren(
    h(
      'header',
      { class: 'topbar' },
      h(
        'a',
        { class: 'brand', href: '#/fleet' },
        'Tenantry',
        h('span', { class: 'brand-sub' }, ' operators'),
      ),
      h(
        'nav',
        { class: 'nav' },
        ...NAV.map(([href, label, testid]) =>
          h('a', { href, class: href === active ? 'active' : '', 'data-testid': testid }, label),
        ),
      ),
      h('span', { class: 'who', 'data-testid': 'operator-email' }, session.email),
      signOut,
    ),
    main,
  );
  return main;
}

/** The page's heading, with an optional note and actions on the right. */
export function heading(title: string, ...extra: (Node | string | null)[]): HTMLElement {
  return h('div', { class: 'heading' }, h('h1', {}, title), ...extra.filter((x) => x !== null));
}
