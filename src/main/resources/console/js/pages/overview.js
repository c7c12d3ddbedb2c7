// Overview: ingest rate and cluster members (the node's /metrics, every 3 s), read-model lag (admin projections),
// alerts (the interview model's monitoring, pending recommendations) and a live feed of the stream.
import { ApiError, get, metrics, stream } from '../api.js';
import { lineChart } from '../charts.js';
import { badge, banner, card, clear, errorBanner, h, num, table, when } from '../ui.js';

const POLL_MS = 3000;
const KEEP = 60; // points of the ingest-rate chart (3 minutes)

export async function render(root, { claims }) {
  const ingest = h('div'), members = h('div'), lag = h('div'), alerts = h('div'), feed = h('div', { class: 'feed' });
  const feedStatus = h('span', { class: 'muted' }, 'connecting…');
  root.append(h('h1', {}, 'Overview'),
    h('div', { class: 'grid' },
      card('Ingest rate', ingest),
      card('Cluster members', members),
      card('Read-model lag', lag),
      card('Alerts', alerts)),
    h('div', { style: 'height:1rem' }),
    card('Live stream', h('p', {}, 'Stream: ', feedStatus), feed));

  const rates = [];
  let previous = null;
  const tick = async () => {
    try {
      const m = await metrics();
      const total = (m.hireloop_events_ingested_total || []).filter(s => s.labels.result === 'accepted' || s.labels.result === 'duplicate')
        .reduce((a, s) => a + s.value, 0);
      const rejected = (m.hireloop_events_ingested_total || []).filter(s => s.labels.result === 'rejected').reduce((a, s) => a + s.value, 0);
      const now = Date.now();
      if (previous) {
        rates.push([new Date(now), Math.max(0, (total - previous.total) / ((now - previous.at) / 1000))]);
        if (rates.length > KEEP) rates.shift();
      }
      previous = { total, at: now };
      const last = rates.length ? rates[rates.length - 1][1] : null;
      clear(ingest,
        h('div', { class: 'figure', id: 'ingest-rate' }, last === null ? '…' : num(last, 1) + ' events/s'),
        h('p', { class: 'muted' }, `${num(total, 0)} events ingested by this node since it started, ${num(rejected, 0)} rejected`),
        lineChart([{ name: 'events/s (accepted + duplicate)', points: rates }], { height: 160, yMin: 0, width: 420 }));
      const byStatus = (m.hireloop_cluster_members || []).filter(s => s.value > 0);
      const up = byStatus.filter(s => s.labels.status === 'up').reduce((a, s) => a + s.value, 0);
      clear(members,
        h('div', { class: 'figure', id: 'cluster-members' }, `${up} up`),
        h('p', { class: 'muted' }, byStatus.map(s => `${s.value} ${s.labels.status}`).join(', ') || 'no members seen'),
        h('p', { class: 'muted' }, 'As seen by the node serving this console.'));
    } catch (err) {
      clear(ingest, errorBanner(err));
    }
    try {
      const p = await get('/admin/projections');
      const byName = new Map();
      for (const x of p.projections) {
        const cur = byName.get(x.name) || { name: x.name, max: null, paused: false, rebuild: null, slices: 0 };
        if (typeof x.lag_seconds === 'number') cur.max = Math.max(cur.max ?? 0, x.lag_seconds);
        cur.paused = cur.paused || x.paused;
        cur.rebuild = cur.rebuild || x.rebuild || null;
        cur.slices++;
        byName.set(x.name, cur);
      }
      const lags = [...byName.values()].map(x => x.max).filter(x => x !== null);
      clear(lag,
        // no lag until this node has handled a group of events (API.md: null before)
        h('div', { class: 'figure', id: 'read-model-lag' }, lags.length ? num(Math.max(...lags), 2) + ' s' : '– (nothing handled yet)'),
        h('p', { class: 'muted' }, 'Largest journal-write → handled lag of the last group, per read model (over its slices).'),
        table([
          { label: 'Read model', value: r => r.name },
          { label: 'Lag (s)', num: true, value: r => num(r.max, 2) },
          { label: 'State', value: r => (r.rebuild && !r.rebuild.failure && r.rebuild.slices_done < r.rebuild.slices ? badge('rebuilding', 'paused')
            : r.paused ? badge('paused') : badge('running')) },
        ], [...byName.values()]));
    } catch (err) {
      clear(lag, err instanceof ApiError && err.status === 403
        ? banner('info', 'Read-model lag needs an admin token (GET /api/v1/admin/projections).') : errorBanner(err));
    }
  };

  const live = [];
  const loadAlerts = async () => {
    const parts = [];
    try {
      const mon = await get('/models/interview/monitoring');
      const list = (mon.alerts || []).slice(0, 10);
      parts.push(list.length ? table([
        { label: 'When', value: a => when(a.at) },
        { label: 'Model', value: a => `${a.name} v${a.version}` },
        { label: 'Severity', value: a => badge(a.severity, a.severity === 'critical' ? 'rolled_back' : 'paused') },
        { label: 'What', value: a => a.message },
      ], list) : h('p', { class: 'muted', id: 'no-model-alerts' }, 'No model alerts.'));
    } catch (err) {
      parts.push(errorBanner(err));
    }
    try {
      const pending = (await get('/recommendations?status=pending_review')).recommendations;
      parts.push(pending.length
        ? banner('warn', h('a', { href: '#/configs' }, `${pending.length} recommendation(s) wait for an admin's approval`))
        : h('p', { class: 'muted' }, 'No recommendation waits for approval.'));
    } catch (err) {
      parts.push(errorBanner(err));
    }
    clear(alerts, live.length ? h('div', {}, h('h3', {}, 'Since you opened this page'), live.map(a => banner('bad', a))) : null, parts);
  };

  const topics = ['models', 'recommendations', 'market', 'config:strategy_engine', 'config:job_discovery', 'config:orchestrator'];
  if (claims.role !== 'user') topics.push('attribution');
  const close = stream(topics, m => {
    const line = h('div', {}, h('span', { class: 'muted' }, new Date(m.at || Date.now()).toISOString().slice(11, 19) + ' '),
      h('b', {}, m.topic), ' ', m.type, ' ', summary(m));
    feed.prepend(line);
    while (feed.childElementCount > 50) feed.lastChild.remove();
    if (m.type === 'model_alert') {
      live.unshift(`${m.data.severity}: ${m.data.name} v${m.data.version} — ${m.data.message}`);
      loadAlerts();
    }
    if (m.topic === 'recommendations') loadAlerts();
  }, status => { feedStatus.textContent = status; });

  await Promise.all([tick(), loadAlerts()]);
  const timer = setInterval(tick, POLL_MS);
  return () => {
    clearInterval(timer);
    close();
  };
}

function summary(m) {
  const d = m.data || {};
  switch (m.type) {
    case 'config_updated': return `${d.component} v${d.version} (${d.provenance || d.optimized_by})`;
    case 'model_trained': return `${d.name} v${d.version} ${d.alias || ''} AUC ${num(d.metrics && d.metrics.auc)}`;
    case 'training_progress': return `${d.model || ''} ${d.phase || ''} ${d.reason || ''}`;
    case 'model_alias_moved': return `${d.name}: ${d.alias} v${d.previous_version} → v${d.version} (${d.kind}, ${d.by})`;
    case 'recommendation_updated': return `${d.change}: ${d.recommendation ? d.recommendation.id + ' ' + d.recommendation.title : ''}`;
    case 'market': return `week ${d.week_start} ${d.status}`;
    default: return '';
  }
}
