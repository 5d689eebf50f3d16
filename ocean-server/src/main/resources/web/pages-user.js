// User tabs: Instances, Volumes, Quota requests, My quotas.
import { get, post, del, enc, ApiError } from './api.js';
import { h, clear, form, table, badge, when, bytes, title, section, button, copyButton, options, num, notify } from './dom.js';
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
  return refresh();
}

export async function instances(view) {
  const c = await catalog();
  const holder = h('div', { id: 'instance-list' });
  const f = form({
    id: 'instance-create',
    fields: [
      { name: 'name', label: 'common.name', required: true, placeholder: 'dev' },
      { name: 'machineType', label: 'common.machineType', type: 'select', options: typeOptions(c.types) },
      { name: 'image', label: 'common.image', type: 'select', options: options(c.images, (i) => i.name) },
      { name: 'volume', label: 'common.volume', type: 'select', options: options(c.volumes, (v) => v.name, null, 'common.none') },
      { name: 'reason', label: 'common.reason' },
    ],
    submit: 'instances.create',
    onSubmit: async (v) => {
      await post('/instances', { name: v.name.trim(), machineType: v.machineType, image: v.image, volume: v.volume || null, reason: v.reason || null });
      notify(t('instances.created', { name: v.name }));
    },
  });
  view.main.append(title('nav.instances'), section('instances.new', f), section('instances.list', holder));
  await liveList(view, ['instances', 'jobs'], holder, async () => {
    let list;
    try {
      list = await get('/instances');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return h('p', { class: 'empty', text: t('instances.unavailable') });
      throw e;
    }
    return h('div', { class: 'cards' }, list.length ? list.map(instanceCard) : h('p', { class: 'empty', text: t('instances.none') }));
  });
}

function instanceCard(i) {
  const n = enc(i.name);
  const act = (key, path) => button(key, async () => post(`/instances/${n}/${path}`), 'small', `instance-${path}-${i.name}`);
  const rows = [
    [t('common.state'), h('span', {}, badge(i.state), i.stateReason ? ` ${i.stateReason}` : '', i.queuePosition ? ` (${t('jobs.queue', { n: i.queuePosition })})` : '')],
    [t('common.machineType'), i.machineType],
    [t('common.image'), i.image],
    [t('common.volume'), i.volume || '-'],
    [t('common.node'), i.node ? `${i.node}${i.gpus && i.gpus.length ? ' GPU ' + i.gpus.join(',') : ''}` : '-'],
  ];
  if (i.sshCommand) {
    rows.push([t('instances.ssh'), h('span', { class: 'code-line' }, h('code', { class: 'ssh-command', text: i.sshCommand }), copyButton(i.sshCommand, `copy-ssh-${i.name}`))]);
  }
  if (i.editorUrl) {
    const vscode = i.address && i.sshPort ? `vscode://vscode-remote/ssh-remote+linuxbrew@${i.address}:${i.sshPort}/home/linuxbrew` : null;
    rows.push([
      t('instances.editor'),
      h(
        'span',
        {},
        h('a', { class: 'editor-link', href: i.editorUrl, target: '_blank', rel: 'noopener noreferrer', text: t('instances.openEditor') }),
        vscode ? h('a', { class: 'vscode-link', href: vscode, text: t('instances.openVsCode') }) : null,
      ),
    ]);
  }
  if (i.idle) {
    rows.push([
      t('instances.idle'),
      h('span', {}, i.idle.summary || '', i.idle.stopsAt ? ` (${t('instances.stopsAt', { at: when(i.idle.stopsAt) })})` : '', ' ', act('instances.extend', 'extend')),
    ]);
  }
  const actions = h('div', { class: 'actions' });
  if (['running', 'starting', 'pending'].includes(i.state)) actions.append(act('instances.stop', 'stop'));
  if (['stopped', 'failed'].includes(i.state)) actions.append(act('instances.start', 'start'));
  actions.append(
    button('common.delete', async () => {
      if (confirm(t('instances.confirmDelete', { name: i.name }))) await del(`/instances/${n}`);
    }, 'small danger'),
  );
  return h('article', { class: 'card instance', 'data-name': i.name }, h('h3', { text: i.name }), h('dl', {}, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])), actions);
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
