// Admin tabs: Users, Quota requests, Quotas, Machine types, Images, Join tokens, Audit log, Tips.
import { get, post, del, patch, enc } from './api.js';
import { h, clear, form, table, badge, when, title, section, button, copyButton, options, num, notify } from './dom.js';
import { t } from './i18n.js';
import { typeOptions, liveList } from './pages-user.js';

export async function users(view) {
  const holder = h('div', { id: 'user-list' });
  view.main.append(title('nav.users'), holder);
  const act = (u, action) => button(`users.${action}`, () => post(`/admin/users/${enc(u.email)}/${action}`), 'small', `user-${action}-${u.email}`);
  await liveList(view, ['users'], holder, async () =>
    table(
      [
        ['auth.email', (u) => u.email],
        ['users.role', (u) => t(`role.${u.role}`)],
        ['common.state', (u) => badge(u.status)],
        ['common.created', (u) => when(u.createdAt)],
        [
          'common.actions',
          (u) =>
            h(
              'span',
              { class: 'actions' },
              u.status !== 'active' ? act(u, 'activate') : act(u, 'disable'),
              u.role === 'admin' ? act(u, 'demote') : act(u, 'promote'),
            ),
        ],
      ],
      await get('/admin/users'),
      'common.empty',
      'users-table',
    ),
  );
}

export async function quotaRequests(view) {
  const holder = h('div', { id: 'admin-quota-requests' });
  view.main.append(title('nav.adminQuotaRequests'), holder);
  const decide = (r) => {
    const note = h('input', { id: `note-${r.id}`, class: 'note', placeholder: t('quota.note'), 'aria-label': t('quota.note') });
    const go = (action) =>
      button(`quota.${action}`, async () => {
        await post(`/admin/quota-requests/${r.id}/${action}`, { note: note.value || null });
        notify(t(`quota.${action}d`, { id: r.id }));
      }, action === 'reject' ? 'small danger' : 'small', `${action}-${r.id}`);
    return h('span', { class: 'actions' }, note, go('approve'), go('reject'));
  };
  await liveList(view, ['quotas'], holder, async () => {
    const list = await get('/admin/quota-requests?all=true');
    list.sort((a, b) => (b.state === 'pending') - (a.state === 'pending') || b.id - a.id);
    const pending = list.filter((r) => r.state === 'pending').length;
    return h(
      'div',
      {},
      h('p', { class: 'pending-summary', id: 'pending-summary', text: t('admin.pendingCount', { n: pending }) }),
      table(
        [
          ['common.id', (r) => String(r.id)],
          ['users.user', (r) => r.user],
          ['common.machineType', (r) => r.machineType],
          ['quota.count', (r) => String(r.count)],
          ['quota.days', (r) => String(r.days)],
          ['common.reason', (r) => r.reason],
          ['common.state', (r) => badge(r.state)],
          ['quota.note', (r) => (r.state === 'pending' ? decide(r) : r.note || '-')],
          ['common.created', (r) => when(r.createdAt)],
        ],
        list,
        'quota.noneRequested',
        'admin-quota-requests-table',
      ),
    );
  });
}

export async function quotas(view) {
  const types = await get('/machine-types');
  const holder = h('div', { id: 'admin-quota-list' });
  const f = form({
    id: 'quota-grant',
    fields: [
      { name: 'email', label: 'auth.email', type: 'email', required: true },
      { name: 'machineType', label: 'common.machineType', type: 'select', options: typeOptions(types) },
      { name: 'count', label: 'quota.count', type: 'number', min: 1, value: '1' },
      { name: 'days', label: 'quota.days', type: 'number', min: 1, value: '30' },
    ],
    submit: 'quota.grant',
    onSubmit: async (v) => {
      await post('/admin/quotas', { email: v.email.trim(), machineType: v.machineType, count: num(v.count), days: num(v.days) });
      notify(t('quota.grantDone'));
    },
  });
  view.main.append(title('nav.quotas'), section('quota.grantTitle', f), section('quota.all', holder));
  await liveList(view, ['quotas', 'jobs', 'instances'], holder, async () =>
    table(
      [
        ['common.id', (q) => String(q.id)],
        ['users.user', (q) => q.user],
        ['common.machineType', (q) => q.machineType],
        ['quota.granted', (q) => String(q.count)],
        ['quota.inUse', (q) => String(q.inUse)],
        ['common.state', (q) => badge(q.state)],
        ['quota.expires', (q) => when(q.expiresAt)],
        ['common.actions', (q) => (q.state === 'active' ? button('quota.revoke', () => post(`/admin/quotas/${q.id}/revoke`), 'small danger') : '')],
      ],
      await get('/admin/quotas?all=true'),
      'quota.none',
    ),
  );
}

export async function machineTypes(view) {
  const holder = h('div', { id: 'machine-type-list' });
  const load = async () =>
    table(
      [
        ['common.name', (m) => m.name],
        ['mt.cpus', (m) => String(m.cpus)],
        ['mt.memory', (m) => `${m.memoryGib} GiB`],
        ['mt.gpus', (m) => String(m.gpus)],
        ['mt.gpuModel', (m) => m.gpuModel || '-'],
        ['mt.idleStop', (m) => idleStopCell(m, refresh)],
        ['common.actions', (m) => button('common.delete', async () => confirm(t('common.confirmDelete', { name: m.name })) && (await del(`/machine-types/${enc(m.name)}`), refresh()), 'small danger')],
      ],
      await get('/machine-types'),
    );
  const refresh = async () => clear(holder).append(await load());
  const f = form({
    id: 'machine-type-create',
    fields: [
      { name: 'name', label: 'common.name', required: true, placeholder: 'gpu.1' },
      { name: 'cpus', label: 'mt.cpus', type: 'number', min: 1, value: '4' },
      { name: 'memoryGib', label: 'mt.memory', type: 'number', min: 1, value: '16' },
      { name: 'gpus', label: 'mt.gpus', type: 'number', min: 0, value: '1' },
      { name: 'gpuModel', label: 'mt.gpuModel' },
      { name: 'idleStopHours', label: 'mt.idleStopHours', type: 'number', min: 1, placeholder: t('mt.off') },
      { name: 'idleExtendMaxHours', label: 'mt.idleExtendMaxHours', type: 'number', min: 1 },
    ],
    submit: 'common.create',
    onSubmit: async (v) => {
      await post('/machine-types', {
        name: v.name.trim(),
        cpus: num(v.cpus),
        memoryGib: num(v.memoryGib),
        gpus: num(v.gpus),
        gpuModel: v.gpuModel || null,
        idleStopHours: num(v.idleStopHours),
        idleExtendMaxHours: num(v.idleExtendMaxHours),
      });
      await refresh();
    },
  });
  view.main.append(title('nav.machineTypes'), section('common.new', f), section('nav.machineTypes', holder));
  await refresh();
}

/** Idle stop of a machine type: what it is, and hours to change it to (empty or 0 turns it off). */
function idleStopCell(m, refresh) {
  const hours = h('input', { type: 'number', min: 0, class: 'hours', id: `idle-stop-${m.name}`, value: m.idleStopHours ? String(m.idleStopHours) : '', 'aria-label': t('mt.idleStopHours') });
  const now = m.idleStopHours ? t('mt.idleStopSummary', { h: m.idleStopHours, max: m.idleExtendMaxHours ?? m.idleStopHours }) : t('mt.off');
  const save = button('common.save', async () => {
    await patch(`/machine-types/${enc(m.name)}`, { idleStopHours: hours.value === '' ? 0 : Number(hours.value) });
    await refresh();
  }, 'small', `idle-stop-save-${m.name}`);
  return h('span', { class: 'idle-stop', 'data-hours': m.idleStopHours ?? null }, h('span', { text: now }), h('span', { class: 'extend' }, hours, save));
}

export async function images(view) {
  const holder = h('div', { id: 'image-list' });
  const refresh = async () =>
    clear(holder).append(
      table(
        [
          ['common.name', (i) => i.name],
          ['images.reference', (i) => i.reference],
          ['images.kind', (i) => t(`images.kind.${i.kind}`)],
          ['images.description', (i) => i.description || '-'],
          ['common.actions', (i) => button('common.delete', async () => confirm(t('common.confirmDelete', { name: i.name })) && (await del(`/images/${enc(i.name)}`), refresh()), 'small danger')],
        ],
        await get('/images'),
      ),
    );
  const f = form({
    id: 'image-add',
    fields: [
      { name: 'name', label: 'common.name', required: true, placeholder: 'pytorch' },
      { name: 'reference', label: 'images.reference', required: true, placeholder: 'pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime' },
      { name: 'kind', label: 'images.kind', type: 'select', options: [['container', t('images.kind.container')], ['host', t('images.kind.host')]] },
      { name: 'description', label: 'images.description' },
    ],
    submit: 'common.create',
    onSubmit: async (v) => {
      await post('/images', { name: v.name.trim(), reference: v.reference.trim(), kind: v.kind, description: v.description || null });
      await refresh();
    },
  });
  view.main.append(title('nav.images'), section('common.new', f), section('nav.images', holder));
  await refresh();
}

export async function joinTokens(view) {
  const holder = h('div', { id: 'join-token-list' });
  const created = h('div', { id: 'join-token-created' });
  const refresh = async () =>
    clear(holder).append(
      table(
        [
          ['common.id', (j) => String(j.id)],
          ['tokens.createdBy', (j) => j.createdBy],
          ['common.created', (j) => when(j.createdAt)],
          ['tokens.expires', (j) => when(j.expiresAt)],
          ['tokens.usesLeft', (j) => `${j.usesLeft} / ${j.uses}`],
          ['common.state', (j) => badge(j.state)],
          ['common.actions', (j) => (j.state === 'active' ? button('tokens.revoke', async () => (await post(`/admin/join-tokens/${j.id}/revoke`), refresh()), 'small danger') : '')],
        ],
        await get('/admin/join-tokens'),
      ),
    );
  const f = form({
    id: 'join-token-create',
    fields: [
      { name: 'ttl', label: 'tokens.ttl', value: '1h' },
      { name: 'uses', label: 'tokens.uses', type: 'number', min: 1, value: '1' },
    ],
    submit: 'common.create',
    onSubmit: async (v) => {
      const tok = await post('/admin/join-tokens', { ttl: v.ttl || null, uses: num(v.uses) });
      // the token through the environment, never on a command line that every user sees in ps
      const cmd = `curl -fsSL ${location.origin}/install.sh | OCEAN_JOIN_TOKEN=${tok.token} sh -s -- agent --server ${location.origin}`;
      clear(created).append(
        h('p', { class: 'muted', text: t('tokens.shownOnce') }),
        h('div', { class: 'code-line' }, h('code', { id: 'join-token-value', text: tok.token }), copyButton(tok.token)),
        h('p', { text: t('tokens.joinCommand') }),
        h('div', { class: 'code-line' }, h('code', { text: cmd }), copyButton(cmd)),
      );
      if (location.protocol === 'https:') created.append(h('p', { class: 'muted', id: 'join-ca-cert', text: t('tokens.joinCaCert') }));
      await refresh();
    },
  });
  view.main.append(title('nav.joinTokens'), section('common.new', f, created), section('nav.joinTokens', holder));
  await refresh();
}

export async function audit(view) {
  const holder = h('div', { id: 'audit-list' });
  view.main.append(title('nav.audit'), holder);
  await liveList(view, ['jobs', 'quotas', 'users', 'volumes', 'nodes', 'instances'], holder, async () =>
    table(
      [
        ['audit.at', (a) => when(a.at)],
        ['audit.actor', (a) => a.actor],
        ['audit.action', (a) => a.action],
        ['audit.resource', (a) => a.resource],
        ['audit.detail', (a) => a.detail || '-'],
      ],
      await get('/admin/audit?limit=200'),
    ),
  );
}

export function tips(view) {
  const keys = ['tips.quota', 'tips.idle', 'tips.board', 'tips.join', 'tips.backup', 'tips.cli'];
  view.main.append(title('nav.tips'), h('ul', { class: 'tips' }, keys.map((k) => h('li', { text: t(k) }))));
}
