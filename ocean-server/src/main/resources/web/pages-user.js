// User tabs: Volumes, Quota requests, My quotas (Instances live in pages-instances.js).
import { get, post, del, enc } from './api.js';
import { h, clear, form, table, badge, when, bytes, title, section, button, options, num, notify } from './dom.js';
import { t } from './i18n.js';

/** Machine types, images and the caller's volumes, for the selects of the create forms. */
export async function catalog() {
  const [types, images, volumes] = await Promise.all([get('/machine-types'), get('/images'), get('/volumes')]);
  return { types, images, volumes };
}

export function typeOptions(types) {
  return options(types, (m) => m.name, (m) => `${m.name} (${t('mt.summary', { cpus: m.cpus, mem: m.memoryGib, gpus: m.gpus })})`);
}

/** Re-renders a list into its holder now and whenever one of the topics changes. */
export function liveList(view, topics, holder, load) {
  const refresh = async () => {
    const typing = document.activeElement;
    if (holder.contains(typing) && ['INPUT', 'TEXTAREA'].includes(typing.tagName) && typing.value) {
      // keep what the user is typing (an admin's note); refresh once they leave the field
      typing.addEventListener('blur', () => setTimeout(refresh, 300), { once: true });
      return;
    }
    try {
      const node = await load();
      clear(holder).append(node);
    } catch (e) {
      clear(holder).append(h('p', { class: 'form-error', role: 'alert', text: e.message }));
    }
  };
  view.live(topics, refresh);
  holder.refresh = refresh; // for a page's own controls (a filter) that change what load shows
  return refresh();
}

export async function volumes(view) {
  const holder = h('div', { id: 'volume-list' });
  const f = form({
    id: 'volume-create',
    fields: [
      { name: 'name', label: 'common.name', required: true, placeholder: 'data' },
      { name: 'sizeGib', label: 'volumes.size', type: 'number', min: 1, value: '10' },
    ],
    submit: 'volumes.create',
    onSubmit: async (v, { inputs }) => {
      await post('/volumes', { name: v.name.trim(), sizeGib: num(v.sizeGib) });
      inputs.name.value = '';
    },
  });
  view.main.append(title('nav.volumes'), section('volumes.new', f), section('volumes.list', holder));
  await liveList(view, ['volumes', 'jobs', 'instances'], holder, async () =>
    table(
      [
        ['common.name', (v) => v.name],
        ['volumes.size', (v) => `${v.sizeGib} GiB`],
        ['volumes.used', (v) => bytes(v.usedBytes)],
        ['volumes.inUse', (v) => (v.inUse ? t('common.yes') : t('common.no'))],
        ['common.created', (v) => when(v.createdAt)],
        ['common.actions', (v) => button('common.delete', async () => confirm(t('volumes.confirmDelete', { name: v.name })) && del(`/volumes/${enc(v.name)}`), 'small danger')],
      ],
      await get('/volumes'),
      'volumes.none',
      'volumes-table',
    ),
  );
}

export async function quotaRequests(view) {
  const c = await catalog();
  const holder = h('div', { id: 'quota-request-list' });
  const f = form({
    id: 'quota-request',
    fields: [
      { name: 'machineType', label: 'common.machineType', type: 'select', options: typeOptions(c.types) },
      { name: 'count', label: 'quota.count', type: 'number', min: 1, value: '1' },
      { name: 'days', label: 'quota.days', type: 'number', min: 1, value: '7' },
      { name: 'reason', label: 'common.reason', type: 'textarea', required: true },
    ],
    submit: 'quota.request',
    onSubmit: async (v, { inputs }) => {
      await post('/quota-requests', { machineType: v.machineType, count: num(v.count), days: num(v.days), reason: v.reason });
      inputs.reason.value = '';
      notify(t('quota.requested'));
    },
  });
  view.main.append(title('nav.quotaRequests'), section('quota.new', f), section('quota.mine', holder));
  await liveList(view, ['quotas'], holder, async () =>
    table(
      [
        ['common.id', (r) => String(r.id)],
        ['common.machineType', (r) => r.machineType],
        ['quota.count', (r) => String(r.count)],
        ['quota.days', (r) => String(r.days)],
        ['common.reason', (r) => r.reason],
        ['common.state', (r) => badge(r.state)],
        ['quota.note', (r) => r.note || '-'],
        ['common.created', (r) => when(r.createdAt)],
        ['common.actions', (r) => (r.state === 'pending' ? button('common.cancel', () => post(`/quota-requests/${r.id}/cancel`)) : '')],
      ],
      await get('/quota-requests?all=true'),
      'quota.noneRequested',
      'quota-requests-table',
    ),
  );
}

export async function myQuotas(view) {
  const holder = h('div', { id: 'my-quotas' });
  view.main.append(title('nav.myQuotas'), h('p', { class: 'muted', text: t('quota.explain') }), holder);
  await liveList(view, ['quotas', 'jobs', 'instances'], holder, async () =>
    table(
      [
        ['common.machineType', (q) => q.machineType],
        ['quota.granted', (q) => String(q.count)],
        ['quota.inUse', (q) => String(q.inUse)],
        ['common.state', (q) => badge(q.state)],
        ['quota.expires', (q) => when(q.expiresAt)],
      ],
      await get('/quotas?all=true'),
      'quota.none',
      'quotas-table',
    ),
  );
}
