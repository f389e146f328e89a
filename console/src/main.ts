import './styles.css';
import { onSessionEnded } from './api';
import { shell } from './layout';
import { renderFleet } from './pages/fleet';
import { renderJobs } from './pages/jobs';
import { renderLogin } from './pages/login';
import { renderRuns } from './pages/runs';
import { renderTenant } from './pages/tenant';
import { renderTenants } from './pages/tenants';
import { readSession } from './session';

/** A page draws itself into `main` and may return what stops its timers when the operator leaves it. */
export type Cleanup = () => void;

const app = document.getElementById('app') as HTMLElement;
let cleanup: Cleanup | void;
let notice: string | null = null;

/** `#/tenants/acme?x=1` → path `/tenants/acme`, its parameters. */
function parseHash(hash: string): { path: string; params: URLSearchParams } {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  return { path: path || '/', params: new URLSearchParams(search) };
}

function route(): void {
  cleanup?.();
  cleanup = undefined;
  const { path, params } = parseHash(location.hash);
  const session = readSession();
  if (path === '/login' || !session) {
    if (path !== '/login') return location.replace('#/login');
    if (session) return location.replace('#/fleet');
    renderLogin(app, notice);
    notice = null;
    return;
  }
  const tenant = /^\/tenants\/([^/]+)$/.exec(path);
  if (tenant) {
    cleanup = renderTenant(shell(app, '#/tenants', session), decodeURIComponent(tenant[1]));
  } else if (path === '/tenants') {
    cleanup = renderTenants(shell(app, '#/tenants', session), params);
  } else if (path === '/runs') {
    cleanup = renderRuns(shell(app, '#/runs', session));
  } else if (path === '/jobs') {
    cleanup = renderJobs(shell(app, '#/jobs', session));
  } else if (path === '/fleet') {
    cleanup = renderFleet(shell(app, '#/fleet', session));
  } else {
    location.replace('#/fleet');
  }
}

onSessionEnded((reason) => {
  notice = reason;
  if (location.hash === '#/login') route();
  else location.hash = '#/login';
});
window.addEventListener('hashchange', route);
route();
