// Jobs: the submit form, the list with state badges and queue places, and a job's page whose log
// follows live over Server-Sent Events and stays whole after the run ended.
import { get, post, ApiError } from './api.js';
import { h, clear, form, table, badge, when, title, section, button, options, num, visible } from './dom.js';
import { t } from './i18n.js';
import { catalog, typeOptions, liveList } from './pages-user.js';

/** Where a job stands: the first pending run's place in the queue and why it waits. */
function waiting(job) {
  const run = (job.runs || []).find((r) => r.state === 'pending');
  if (!run) return '';
  const place = run.queuePosition ? t('jobs.queue', { n: run.queuePosition }) : '';
  return [place, run.waitReason].filter(Boolean).join(' · ');
}

export async function jobs(view) {
  const c = await catalog();
  const holder = h('div', { id: 'job-list' });
  const f = form({
    id: 'job-submit',
    fields: [
      { name: 'name', label: 'common.name', required: true, placeholder: 'train' },
      { name: 'reason', label: 'common.reason' },
      { name: 'image', label: 'common.image', type: 'select', options: options(c.images, (i) => i.name) },
      { name: 'machineType', label: 'common.machineType', type: 'select', options: typeOptions(c.types) },
      { name: 'volume', label: 'common.volume', type: 'select', options: options(c.volumes, (v) => v.name, null, 'common.none') },
      { name: 'repeat', label: 'jobs.repeat', type: 'number', min: 1, value: '1' },
      { name: 'command', label: 'jobs.command', type: 'textarea', required: true, placeholder: 'python train.py' },
    ],
    submit: 'jobs.submit',
    onSubmit: async (v) => {
      const job = await post('/jobs', {
        name: v.name.trim(),
        machineType: v.machineType,
        image: v.image,
        volume: v.volume || null,
        command: v.command.trim() ? ['sh', '-c', v.command] : [],
        env: {},
        repeat: num(v.repeat),
        parallel: null,
        reason: v.reason || null,
        retries: null,
      });
      location.hash = `#/jobs/${job.id}`;
    },
  });
  view.main.append(title('nav.jobs'), section('jobs.new', h('p', { class: 'muted', text: t('jobs.commandHint') }), f), section('jobs.list', holder));
  await liveList(view, ['jobs'], holder, async () =>
    table(
      [
        ['common.id', (j) => h('a', { href: `#/jobs/${j.id}`, class: 'job-link', text: `#${j.id}` })],
        ['common.name', (j) => j.name],
        ['common.state', (j) => badge(j.state)],
        ['jobs.waiting', (j) => waiting(j)],
        ['common.machineType', (j) => j.machineType],
        ['jobs.runs', (j) => String(j.repeat)],
        ['common.created', (j) => when(j.createdAt)],
        ['common.actions', (j) => (['pending', 'running'].includes(j.state) ? button('common.cancel', () => post(`/jobs/${j.id}/cancel`)) : '')],
      ],
      await get('/jobs?all=true'),
      'jobs.none',
      'jobs-table',
    ),
  );
}

export async function job(view) {
  const id = view.params.id;
  let j;
  try {
    j = await get(`/jobs/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      view.main.append(h('h1', { text: t('common.notFoundTitle') }), h('p', { id: 'not-found', text: t('jobs.notFound', { id }) }));
      return;
    }
    throw e;
  }
  const info = h('div', { id: 'job-info' });
  const runs = h('div', { id: 'job-runs' });
  const runSelect = h('select', { id: 'log-run', 'aria-label': t('jobs.run') });
  const status = h('p', { id: 'log-status', class: 'muted', 'aria-live': 'polite' });
  const log = h('pre', { id: 'log', class: 'log', tabindex: '0', 'aria-label': t('jobs.log') });
  view.main.append(
    h('p', {}, h('a', { href: '#/jobs', text: t('jobs.back') })),
    h('h1', {}, `#${j.id} `, h('span', { id: 'job-name', text: j.name })),
    info,
    section('jobs.runsTitle', runs),
    section('jobs.log', h('div', { class: 'field inline' }, h('label', { for: 'log-run', text: t('jobs.run') }), runSelect), status, log),
  );
  const show = (job) => {
    clear(info).append(
      h(
        'dl',
        { class: 'facts' },
        [
          ['common.state', h('span', { id: 'job-state' }, badge(job.state))],
          ['jobs.waiting', waiting(job) || '-'],
          ['common.machineType', job.machineType],
          ['common.image', job.image],
          ['common.volume', job.volume || '-'],
          ['jobs.command', h('code', { text: (job.command || []).join(' ') })],
          ['common.reason', job.reason || '-'],
          ['common.created', when(job.createdAt)],
          ['jobs.finished', when(job.finishedAt)],
          ['jobs.exitCode', job.exitCode === null || job.exitCode === undefined ? '-' : String(job.exitCode)],
        ].map(([k, v]) => [h('dt', { text: t(k) }), h('dd', {}, v)]),
      ),
      ['pending', 'running'].includes(job.state) ? button('common.cancel', () => post(`/jobs/${job.id}/cancel`), 'small danger', 'job-cancel') : '',
    );
    clear(runs).append(
      table(
        [
          ['jobs.run', (r) => String(r.index)],
          ['common.state', (r) => badge(r.state)],
          ['common.node', (r) => r.node || '-'],
          ['jobs.waiting', (r) => [r.queuePosition ? t('jobs.queue', { n: r.queuePosition }) : '', r.waitReason].filter(Boolean).join(' · ') || r.reason || '-'],
          ['jobs.started', (r) => when(r.startedAt)],
          ['jobs.finished', (r) => when(r.finishedAt)],
          ['jobs.exitCode', (r) => (r.exitCode === null || r.exitCode === undefined ? '-' : String(r.exitCode))],
        ],
        job.runs,
      ),
    );
  };
  show(j);
  for (const r of j.runs) runSelect.append(h('option', { value: String(r.index), text: String(r.index) }));
  let source = null;
  const follow = (run) => {
    if (source) source.close();
    log.textContent = '';
    status.textContent = t('jobs.logFollowing');
    source = new EventSource(`/api/v1/jobs/${j.id}/runs/${run}/log-events`);
    source.addEventListener('log', (e) => {
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      // a run's output cannot reorder what the reader sees: bidi controls show as \u202e
      log.append(document.createTextNode(visible(JSON.parse(e.data))));
      if (atBottom) log.scrollTop = log.scrollHeight;
    });
    source.addEventListener('end', (e) => {
      status.textContent = t('jobs.logEnded', { state: t(`state.${JSON.parse(e.data)}`) });
      status.dataset.ended = 'true';
      source.close();
    });
    source.addEventListener('lost', (e) => {
      status.textContent = t('jobs.logGone', { bytes: JSON.parse(e.data) });
      status.dataset.ended = 'true';
      source.close();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) status.textContent = t('jobs.logLost');
    };
  };
  runSelect.addEventListener('change', () => follow(runSelect.value));
  follow(runSelect.value || '0');
  view.onLeave(() => source && source.close());
  view.live(['jobs'], async () => {
    try {
      show(await get(`/jobs/${j.id}`));
    } catch {
      // the next change tries again
    }
  });
}
