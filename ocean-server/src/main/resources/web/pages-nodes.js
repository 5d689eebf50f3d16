// Cluster views: the admin's Nodes & GPUs tab (per-node CPU/memory and per-GPU charts of the
// last hour, from /api/v1/nodes/NAME/metrics) and the GPU board for everyone.
import uPlot from './vendor/uplot/uPlot.esm.js';
import { get, post, enc } from './api.js';
import { h, clear, table, badge, when, bytes, title, section, button } from './dom.js';
import { t } from './i18n.js';
import { liveList } from './pages-user.js';

const IDLE_PERCENT = 5;

export async function nodes(view) {
  const holder = h('div', { id: 'node-list' });
  const charts = h('div', { id: 'node-charts' });
  let selected = null;
  const act = (n, action) => button(`nodes.${action}`, () => post(`/admin/nodes/${enc(n.name)}/${action}`), action === 'remove' ? 'small danger' : 'small');
  view.main.append(title('nav.nodes'), section('nodes.list', holder), charts);
  const showCharts = async (name) => {
    selected = name;
    const history = await get(`/nodes/${enc(name)}/metrics`);
    clear(charts).append(nodeCharts(name, history));
  };
  await liveList(view, ['nodes', 'jobs', 'instances'], holder, async () => {
    const list = await get('/nodes');
    if (!selected && list.length) setTimeout(() => showCharts(list[0].name));
    return table(
      [
        ['common.name', (n) => h('button', { type: 'button', class: 'link', text: n.name, onclick: () => showCharts(n.name) })],
        ['common.state', (n) => badge(n.state)],
        ['nodes.runtime', (n) => runtime(n)],
        ['nodes.cpu', (n) => (n.metrics && n.metrics.cpuUtilisation != null ? `${n.metrics.cpuUtilisation.toFixed(0)} % / ${n.cpus}` : String(n.cpus))],
        ['nodes.memory', (n) => (n.metrics ? `${bytes(n.metrics.memoryUsedBytes)} / ${bytes(n.memoryBytes)}` : bytes(n.memoryBytes))],
        ['nodes.gpus', (n) => `${n.gpusUsed} / ${n.gpus}${n.gpuModel ? ' ' + n.gpuModel : ''}`],
        ['nodes.holders', (n) => (n.gpuList || []).filter((g) => g.heldBy).map((g) => `GPU ${g.index}: ${g.heldBy}`).join(', ') || '-'],
        ['nodes.lastSeen', (n) => when(n.lastSeenAt)],
        ['nodes.problem', (n) => n.unschedulable || '-'],
        ['common.actions', (n) => h('span', { class: 'actions' }, n.state === 'draining' ? act(n, 'undrain') : act(n, 'drain'), act(n, 'remove'))],
      ],
      list,
      'nodes.none',
      'nodes-table',
    );
  });
  const timer = setInterval(() => selected && showCharts(selected).catch(() => {}), 15000);
  view.onLeave(() => clearInterval(timer));
}

/** Which runtime runs the node's work: only container runtimes take instances. */
function runtime(n) {
  const kind = n.facts && n.facts.runtime ? n.facts.runtime.kind : null;
  if (!kind) return '-';
  return h('span', { class: 'runtime', 'data-runtime': kind, text: t(kind === 'process' ? 'nodes.runtimeProcess' : 'nodes.runtimeContainer', { kind }) });
}

function chart(titleKey, unit, xs, series) {
  const el = h('figure', { class: 'chart' }, h('figcaption', { text: `${t(titleKey)} (${unit})` }));
  const width = Math.min(560, Math.max(260, window.innerWidth - 60));
  const opts = {
    width,
    height: 160,
    legend: { show: series.length > 1 },
    scales: { x: { time: true } },
    series: [{}, ...series.map(([label], i) => ({ label, stroke: ['#0b5cad', '#c2410c', '#15803d', '#7e22ce'][i % 4], width: 1.5 }))],
  };
  requestAnimationFrame(() => new uPlot(opts, [xs, ...series.map(([, ys]) => ys)], el));
  return el;
}

function nodeCharts(name, all) {
  const since = Date.now() - 3600 * 1000;
  const history = (all || []).filter((m) => m.timestampMs >= since);
  if (history.length === 0) return section('nodes.charts', h('p', { class: 'empty', text: t('nodes.noHistory') }));
  const xs = history.map((m) => m.timestampMs / 1000);
  const pick = (f) => history.map((m) => {
    const v = f(m);
    return v === null || v === undefined ? null : v;
  });
  const out = [
    chart('nodes.cpuChart', '%', xs, [[name, pick((m) => m.cpuUtilisation)]]),
    chart('nodes.memChart', 'GiB', xs, [[name, pick((m) => (m.memoryUsedBytes == null ? null : m.memoryUsedBytes / 2 ** 30))]]),
  ];
  const gpus = [...new Set(history.flatMap((m) => (m.gpus || []).map((g) => g.index)))];
  const gpuSeries = (f) => gpus.map((i) => [`GPU ${i}`, pick((m) => { const g = (m.gpus || []).find((x) => x.index === i); return g ? f(g) : null; })]);
  if (gpus.length) {
    out.push(
      chart('nodes.gpuUtil', '%', xs, gpuSeries((g) => g.utilisationGpu)),
      chart('nodes.gpuMem', 'MiB', xs, gpuSeries((g) => g.memoryUsedMib)),
      chart('nodes.gpuTemp', '°C', xs, gpuSeries((g) => g.temperatureC)),
      chart('nodes.gpuPower', 'W', xs, gpuSeries((g) => g.powerDrawW)),
    );
  }
  return h('section', { class: 'card' }, h('h2', { text: t('nodes.chartsOf', { name }) }), h('div', { class: 'charts' }, out));
}

export async function board(view) {
  const grid = h('div', { id: 'gpu-grid' });
  const pending = h('div', { id: 'board-pending' });
  const usage = h('div', { id: 'gpu-hours' });
  const period = h('select', { id: 'gpu-hours-period', 'aria-label': t('board.period') }, [
    ['1', t('board.day')],
    ['7', t('board.week')],
    ['30', t('board.month')],
  ].map(([v, text]) => h('option', { value: v, text })));
  period.value = '7';
  view.main.append(
    title('nav.board'),
    section('board.grid', h('p', { class: 'muted', text: t('board.legend', { n: IDLE_PERCENT }) }), grid),
    section('board.pending', pending),
    section('board.hours', h('div', { class: 'field inline' }, h('label', { for: 'gpu-hours-period', text: t('board.period') }), period), usage),
  );
  await liveList(view, ['nodes', 'jobs', 'instances'], grid, async () => gpuGrid(await get('/nodes')));
  await liveList(view, ['jobs', 'instances'], pending, async () => {
    const admin = view.me.role === 'admin';
    // instances' starts queue with jobs' runs but are listed by /instances, not /jobs
    const [jobs, instances] = await Promise.all([get(admin ? '/jobs?everyone=true' : '/jobs'), get(admin ? '/instances?all=true' : '/instances')]);
    const rows = jobs
      .flatMap((j) => j.runs.filter((r) => r.state === 'pending').map((r) => ({ place: r.queuePosition, what: h('a', { href: `#/jobs/${j.id}`, text: `#${j.id}/${r.index}` }), user: j.user, machineType: j.machineType, reason: r.waitReason })))
      .concat(
        instances
          .filter((i) => i.state === 'pending')
          .map((i) => ({ place: i.queuePosition, what: h('span', { class: 'pending-instance', text: t('board.instance', { name: i.name }) }), user: i.user, machineType: i.machineType, reason: i.stateReason })),
      );
    return table(
      [
        ['jobs.place', (x) => (x.place ? String(x.place) : '-')],
        ['common.id', (x) => x.what],
        ['users.user', (x) => x.user],
        ['common.machineType', (x) => x.machineType],
        ['board.reason', (x) => x.reason || t('board.waitingTurn')],
      ],
      rows.sort((a, b) => (a.place || 1e9) - (b.place || 1e9)),
      'board.nothingPending',
      'board-pending-table',
    );
  });
  const loadHours = async () => {
    const from = new Date(Date.now() - Number(period.value) * 86400000).toISOString();
    const list = await get(`/gpu-hours?from=${encodeURIComponent(from)}`);
    clear(usage).append(
      table(
        [
          ['users.user', (u) => u.user],
          ['board.gpuHours', (u) => u.gpuHours.toFixed(2)],
          ['jobs.runs', (u) => String(u.runs)],
        ],
        list,
        'board.noUsage',
        'gpu-hours-table',
      ),
    );
  };
  period.addEventListener('change', loadHours);
  view.live(['jobs', 'instances'], loadHours);
  await loadHours();
}

function gpuGrid(nodes) {
  const withGpus = nodes.filter((n) => (n.gpuList || []).length);
  if (!withGpus.length) return h('p', { class: 'empty', text: t('board.noGpus') });
  return h(
    'div',
    { class: 'grid' },
    withGpus.map((n) =>
      h(
        'div',
        { class: 'grid-row' },
        h('div', { class: 'grid-node' }, h('strong', { text: n.name }), ' ', badge(n.state)),
        h('div', { class: 'grid-gpus' }, n.gpuList.map((g) => gpuCell(g))),
      ),
    ),
  );
}

function gpuCell(g) {
  const util = g.utilisationGpu;
  const idle = g.heldBy && util !== null && util !== undefined && util < IDLE_PERCENT;
  const cls = ['gpu', g.heldBy ? 'held' : 'free', idle ? 'idle' : '', g.problem ? 'problem' : ''].join(' ');
  return h(
    'div',
    { class: cls, title: g.model || '' },
    h('div', { class: 'gpu-title', text: `GPU ${g.index}` }),
    h('div', { text: g.heldBy ? t('board.heldBy', { who: g.heldBy }) : t('board.free') }),
    h('div', { text: `${t('board.used')}: ${util == null ? '-' : util + ' %'} · ${g.memoryUsedMib == null ? '-' : g.memoryUsedMib}/${g.memoryTotalMib == null ? '-' : g.memoryTotalMib} MiB` }),
    idle ? h('div', { class: 'flag', text: t('board.heldIdle') }) : null,
    g.problem ? h('div', { class: 'flag', text: g.problem }) : null,
  );
}
