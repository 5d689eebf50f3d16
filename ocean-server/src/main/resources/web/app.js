// The single page: a hash router (#/jobs/12), the header with tabs and language switch, and the
// session. Pages live in pages-*.js; each gets a view with the element to fill, the route's
// parameters, the user and hooks for live updates and clean-up.
import { api, get, onUnauthorized } from './api.js';
import { h, clear, notify } from './dom.js';
import { t, loadLanguages, setLanguage, language, LANGUAGES } from './i18n.js';
import { connect, disconnect, subscribe } from './live.js';
import * as auth from './pages-auth.js';
import * as user from './pages-user.js';
import * as instances from './pages-instances.js';
import * as jobs from './pages-jobs.js';
import * as admin from './pages-admin.js';
import * as nodes from './pages-nodes.js';
import * as account from './pages-account.js';

const USER_TABS = [
  ['instances', 'nav.instances', instances.instances],
  ['volumes', 'nav.volumes', user.volumes],
  ['jobs', 'nav.jobs', jobs.jobs],
  ['quota-requests', 'nav.quotaRequests', user.quotaRequests],
  ['quotas', 'nav.myQuotas', user.myQuotas],
  ['board', 'nav.board', nodes.board],
];
const ADMIN_TABS = [
  ['admin/users', 'nav.users', admin.users],
  ['admin/quota-requests', 'nav.adminQuotaRequests', admin.quotaRequests],
  ['admin/quotas', 'nav.quotas', admin.quotas],
  ['admin/machine-types', 'nav.machineTypes', admin.machineTypes],
  ['admin/images', 'nav.images', admin.images],
  ['admin/nodes', 'nav.nodes', nodes.nodes],
  ['admin/join-tokens', 'nav.joinTokens', admin.joinTokens],
  ['admin/audit', 'nav.audit', admin.audit],
  ['admin/tips', 'nav.tips', admin.tips],
];
const OTHER = [
  ['jobs/:id', jobs.job],
  ['account', account.account],
];

const session = { me: null };
let cleanups = [];

function match(path) {
  const all = [...USER_TABS, ...ADMIN_TABS].map(([p, , page]) => [p, page]).concat(OTHER);
  for (const [pattern, page] of all) {
    const names = [];
    const re = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, n) => (names.push(n), '([^/]+)')) + '$');
    const m = path.match(re);
    if (m) return { page, pattern, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

function path() {
  return location.hash.replace(/^#\/?/, '');
}

export function go(p) {
  location.hash = '#/' + p;
}

async function whoAmI() {
  try {
    session.me = await get('/users/me');
  } catch {
    session.me = null;
  }
}

function header() {
  const top = clear(document.getElementById('top'));
  const current = path();
  const langSelect = h(
    'select',
    { id: 'language', 'aria-label': t('nav.language') },
    LANGUAGES.map(([code, name]) => h('option', { value: code, text: name })),
  );
  langSelect.value = language();
  langSelect.addEventListener('change', () => {
    setLanguage(langSelect.value);
    render();
  });
  const brand = h('a', { class: 'brand', href: session.me ? '#/jobs' : '#/login', text: 'Ocean' });
  const bar = h('div', { class: 'bar' }, brand, h('span', { class: 'spacer' }), langSelect);
  if (session.me) {
    bar.append(
      h('a', { href: '#/account', id: 'nav-account', class: 'who', text: session.me.email }),
      h('button', { type: 'button', class: 'small', id: 'logout', text: t('nav.logout'), onclick: logout }),
    );
  }
  top.append(bar);
  if (!session.me) return;
  const link = ([p, key]) =>
    h('a', { href: `#/${p}`, id: `tab-${p.replace('/', '-')}`, class: current.startsWith(p) ? 'tab active' : 'tab', 'aria-current': current.startsWith(p) ? 'page' : null, text: t(key) });
  top.append(h('nav', { class: 'tabs', 'aria-label': t('nav.user') }, USER_TABS.map(link)));
  if (session.me.role === 'admin') {
    const nav = h('nav', { class: 'tabs admin', 'aria-label': t('nav.admin') }, h('span', { class: 'tabs-label', text: t('nav.admin') }), ADMIN_TABS.map(link));
    top.append(nav);
    const badge = h('span', { class: 'count', id: 'pending-count', hidden: true });
    nav.querySelector('#tab-admin-quota-requests').append(' ', badge);
    const update = () => pendingBadge(badge);
    update();
    cleanups.push(subscribe(['quotas'], update));
  }
}

/** The number of pending quota requests on the admin's tab, kept current by the live stream. */
async function pendingBadge(badge) {
  try {
    const list = await get('/admin/quota-requests');
    const pending = list.filter((r) => r.state === 'pending').length;
    badge.textContent = String(pending);
    badge.title = t('admin.pendingCount', { n: pending });
    badge.hidden = pending === 0;
  } catch {
    // the badge is a convenience; the tab itself still works
  }
}

async function logout() {
  try {
    await api('DELETE', '/session');
  } catch (e) {
    notify(e.message, true);
  }
  session.me = null;
  disconnect();
  go('login');
}

export async function render() {
  cleanups.forEach((c) => c());
  cleanups = [];
  const p = path();
  const main = clear(document.getElementById('main'));
  if (!session.me && p !== 'signup') {
    if (p !== 'login') return go('login');
  }
  if (session.me && (p === '' || p === 'login' || p === 'signup')) return go('jobs');
  header();
  const view = {
    main,
    me: session.me,
    params: {},
    live: (topics, fn) => cleanups.push(subscribe(topics, fn)),
    onLeave: (fn) => cleanups.push(fn),
    signedIn: async () => {
      await whoAmI();
      if (session.me) connect();
      go('jobs');
    },
  };
  if (p === 'login') return auth.login(view);
  if (p === 'signup') return auth.signup(view);
  const m = match(p);
  if (!m || (m.pattern.startsWith('admin/') && session.me.role !== 'admin')) {
    main.append(h('h1', { text: t('common.notFoundTitle') }), h('p', { id: 'not-found', text: t('common.notFound') }));
    return;
  }
  view.params = m.params;
  document.title = `Ocean`;
  try {
    await m.page(view);
  } catch (e) {
    main.append(h('p', { class: 'form-error', role: 'alert', text: e.message }));
  }
  main.focus({ preventScroll: true });
}

async function start() {
  await loadLanguages();
  onUnauthorized(() => {
    if (session.me) {
      session.me = null;
      disconnect();
      go('login');
    }
  });
  await whoAmI();
  if (session.me) connect();
  window.addEventListener('hashchange', render);
  render();
}

start();
