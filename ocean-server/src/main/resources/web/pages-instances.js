// The Instances tab: create form, and one card per instance with its state, SSH command (copy),
// editor links and the idle-stop outlook with an Extend control. Fields are those of the API's
// Instance record (ocean-common api/instance/Instance.java).
import { get, post, del, enc } from './api.js';
import { h, form, badge, when, title, section, button, copyButton, options, notify } from './dom.js';
import { t } from './i18n.js';
import { catalog, typeOptions, liveList } from './pages-user.js';

const STOPPABLE = ['running', 'starting', 'pending'];
const STARTABLE = ['stopped', 'failed'];

export async function instances(view) {
  const c = await catalog();
  const holder = h('div', { id: 'instance-list' });
  const f = form({
    id: 'instance-create',
    fields: [
      { name: 'name', label: 'common.name', required: true, placeholder: 'dev' },
      { name: 'machineType', label: 'common.machineType', type: 'select', options: typeOptions(c.types) },
      // instances run in containers: the host image cannot hold one
      { name: 'image', label: 'common.image', type: 'select', options: options(c.images.filter((i) => i.kind !== 'host'), (i) => i.name) },
      { name: 'volume', label: 'common.volume', type: 'select', options: options(c.volumes, (v) => v.name, null, 'common.none') },
      { name: 'reason', label: 'common.reason' },
    ],
    submit: 'instances.create',
    onSubmit: async (v, { inputs }) => {
      await post('/instances', { name: v.name.trim(), machineType: v.machineType, image: v.image, volume: v.volume || null, reason: v.reason || null });
      inputs.name.value = '';
      notify(t('instances.created', { name: v.name.trim() }));
    },
  });
  // admins may look after everyone's instances (stop an idle one, delete a forgotten one)
  const everyone = h('input', { type: 'checkbox', id: 'instances-everyone' });
  const toggle = view.me.role === 'admin' ? h('div', { class: 'field inline' }, everyone, h('label', { for: 'instances-everyone', text: t('instances.everyone') })) : null;
  view.main.append(title('nav.instances'), section('instances.new', f), section('instances.list', toggle, holder));
  await liveList(view, ['instances', 'jobs'], holder, async () => {
    const list = await get(everyone.checked ? '/instances?all=true' : '/instances');
    return h('div', { class: 'cards' }, list.length ? list.map((i) => card(i, view.me)) : h('p', { class: 'empty', text: t('instances.none') }));
  });
  everyone.addEventListener('change', () => holder.refresh());
}

function card(i, me) {
  const mine = i.user === me.email;
  const who = mine ? '' : `?user=${enc(i.user)}`;
  const path = (suffix) => `/instances/${enc(i.name)}${suffix}${who}`;
  const key = mine ? i.name : `${i.name}-${i.user}`;
  const act = (label, action) => button(label, () => post(path(`/${action}`)), 'small', `instance-${action}-${key}`);
  const rows = [
    [t('common.state'), h('span', {}, badge(i.state), i.stateReason ? ` ${i.stateReason}` : '', i.queuePosition ? ` (${t('jobs.queue', { n: i.queuePosition })})` : '')],
    mine ? null : [t('users.user'), i.user],
    [t('common.machineType'), i.machineType],
    [t('common.image'), i.image],
    [t('common.volume'), i.volume || '-'],
    [t('common.node'), i.node ? `${i.node}${i.gpus && i.gpus.length ? ' GPU ' + i.gpus.join(',') : ''}` : '-'],
  ].filter(Boolean);
  if (i.reason) rows.push([t('common.reason'), i.reason]);
  if (i.sshCommand) {
    rows.push([t('instances.ssh'), h('span', { class: 'code-line' }, h('code', { class: 'ssh-command', text: i.sshCommand }), copyButton(i.sshCommand, `copy-ssh-${key}`))]);
  }
  if (mine && i.hostKey) {
    // through the server's port: works when the node's address is not reachable from here
    const tunnel = `ocean ssh-config && ssh ocean-${i.name}`;
    rows.push([t('instances.viaServer'), h('span', { class: 'code-line' }, h('code', { class: 'ssh-tunnel', text: tunnel }), copyButton(tunnel, `copy-tunnel-${key}`))]);
  }
  if (i.editorUrl || i.sshCommand) rows.push([t('instances.editor'), editors(i)]);
  if (i.hostKey) rows.push([t('instances.hostKey'), h('details', { class: 'host-key' }, h('summary', { text: i.hostKey.split(' ')[0] }), h('code', { text: i.hostKey }))]);
  if (i.idle) rows.push([t('instances.idle'), idle(i, path('/extend'), key)]);
  const actions = h('div', { class: 'actions' });
  if (STOPPABLE.includes(i.state)) actions.append(act('instances.stop', 'stop'));
  if (STARTABLE.includes(i.state)) actions.append(act('instances.start', 'start'));
  actions.append(
    button('common.delete', async () => {
      if (confirm(t('instances.confirmDelete', { name: i.name }))) await del(path(''));
    }, 'small danger', `instance-delete-${key}`),
  );
  return h('article', { class: 'card instance', 'data-name': i.name, 'data-user': i.user, 'data-state': i.state }, h('h3', { text: i.name }), h('dl', {}, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])), actions);
}

/** The browser editor and VS Code (Remote - SSH) links; VS Code needs the SSH address and port. */
function editors(i) {
  const links = h('span', { class: 'links' });
  if (i.editorUrl) {
    links.append(h('a', { class: 'editor-link', href: i.editorUrl, target: '_blank', rel: 'noopener noreferrer', text: t('instances.openEditor') }));
  }
  if (i.address && i.sshPort) {
    const host = i.address.includes(':') ? `[${i.address}]` : i.address;
    const vscode = `vscode://vscode-remote/ssh-remote+linuxbrew@${host}:${i.sshPort}/home/linuxbrew`;
    links.append(' ', h('a', { class: 'vscode-link', href: vscode, text: t('instances.openVsCode') }));
  }
  return links;
}

/** The idle-stop outlook: the server's sentence, when it stops, and Extend with a number of hours. */
function idle(i, extendPath, key) {
  const o = i.idle;
  const hours = h('input', { type: 'number', min: 1, value: '2', id: `extend-hours-${key}`, class: 'hours', 'aria-label': t('instances.extendHours') });
  const extend = button(
    'instances.extend',
    async () => {
      const r = await post(extendPath, { hours: hours.value === '' ? null : Number(hours.value) });
      notify(r.message || t('instances.extended', { at: when(r.extendedUntil) }));
    },
    'small',
    `instance-extend-${key}`,
  );
  // the summary is the server's sentence (it names an extension); the times are the browser's
  return h(
    'span',
    { class: 'idle', 'data-extended-until': o.extendedUntil || null },
    h('span', { class: 'idle-summary', text: o.summary || '' }),
    o.stopsAt ? h('span', { class: 'idle-stops muted', text: ` (${t('instances.stopsAt', { at: when(o.stopsAt) })})` }) : null,
    h('span', { class: 'extend' }, hours, h('span', { class: 'muted', text: t('instances.hours') }), extend),
  );
}
