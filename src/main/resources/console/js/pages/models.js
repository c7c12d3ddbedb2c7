// Models: the champion and challenger of each model, every version's card (metrics, calibration curve, training
// history, feature importance), the monitor's live view (drift, alerts), promote and roll back.
import { ApiError, get, post, stream } from '../api.js';
import { barChart, lineChart } from '../charts.js';
import { badge, banner, card, errorBanner, h, num, reasonAction, section, table, when } from '../ui.js';

const MODELS = ['interview', 'offer', 'response_time'];

export async function render(root, ctx) {
  const name = MODELS.includes(ctx.params.get('name')) ? ctx.params.get('name') : 'interview';
  const admin = ctx.claims.role === 'admin';
  const summary = h('div'), versions = h('div'), chosen = h('div'), monitoring = h('div');
  const progress = h('div', { class: 'feed' });
  const live = h('span', { class: 'muted' }, 'connecting…');
  root.append(h('h1', {}, 'Models'),
    h('div', { class: 'actions' }, MODELS.map(m => h('a', { href: '#/models?name=' + m, style: 'margin-right:1rem;font-weight:' + (m === name ? 700 : 400) }, m))),
    card(`${name}: champion and challenger`, summary),
    card('Versions', versions),
    h('div', { id: 'version-detail' }, chosen),
    card('Monitoring (live figures of the champion)', monitoring),
    card('Training and alias moves', h('p', {}, 'Stream: ', live), progress));

  let selected = ctx.params.get('version') ? Number(ctx.params.get('version')) : null;

  const loadSummary = () => section(summary, async () => {
    const m = await get('/models/' + name);
    const metrics = m.metrics || {};
    return h('div', {},
      h('p', {}, 'Champion ', h('b', { id: 'champion-version' }, m.champion === null || m.champion === undefined ? 'none' : 'v' + m.champion),
        ' · challenger ', h('b', { id: 'challenger-version' }, m.challenger === null || m.challenger === undefined ? 'none' : 'v' + m.challenger),
        ' · status ', badge(m.status || ''), ` · backend ${m.backend || '–'}`),
      m.version ? h('p', {}, `Trained ${when(m.trained_at)} on ${num(m.training_examples)} examples in ${num(m.training_seconds, 1)} s · holdout AUC ${num(metrics.auc)}, log loss ${num(metrics.log_loss)}, Brier ${num(metrics.brier)}, ECE ${num(metrics.ece)}`
        + (m.online_updates ? ` · ${num(m.online_updates)} online updates` : '')) : h('p', { class: 'muted' }, 'No version trained yet.'),
      'labels_since_last_training' in m ? h('p', { class: 'muted' }, `${num(m.labels_since_last_training)} new labels since the last training`) : null,
      m.last_error ? banner('bad', 'Last training failed: ' + m.last_error) : null,
      admin ? h('div', {},
        h('h3', {}, 'Roll back the champion'),
        h('p', { class: 'muted' }, 'The champion goes back to the one it replaced (again: further back). Recorded with your name and the reason.'),
        reasonAction('Roll back', { kind: 'danger', id: 'model-rollback',
          run: reason => post(`/models/${name}/rollback`, { reason }),
          done: r => `Champion moved from v${r.previous_version} to v${r.version}.`, after: reload }),
        name === 'interview' ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'train-button', onclick: async ev => {
          try {
            const r = await post(`/models/${name}/train`);
            ev.target.after(banner('ok', `Training job ${r.job_id} started; progress below.`));
          } catch (err) {
            ev.target.after(errorBanner(err));
          }
        } }, 'Train now')) : null) : null);
  });

  const loadVersions = () => section(versions, async () => {
    const v = await get(`/models/${name}/versions`);
    if (!v.versions.length) return h('p', { class: 'muted' }, 'No versions yet.');
    if (selected === null) selected = v.champion ?? v.versions[0].version;
    const ordered = [...v.versions].sort((a, b) => a.version - b.version);
    const metric = key => ordered.map(c => [c.version, c.holdout ? c.holdout[key] : null]);
    return h('div', {},
      table([
        { label: 'Version', value: c => h('a', { href: '#', onclick: e => { e.preventDefault(); selected = c.version; loadVersion(); } }, 'v' + c.version) },
        { label: 'Aliases', value: c => [c.version === v.champion ? badge('champion') : null, c.version === v.challenger ? badge('challenger') : null] },
        { label: 'Trained', value: c => when(c.trained_at) },
        { label: 'Train rows', num: true, value: c => num(c.data_window && c.data_window.train_rows) },
        { label: 'AUC', num: true, value: c => num(c.holdout && c.holdout.auc) },
        { label: 'ECE', num: true, value: c => num(c.holdout && c.holdout.ece) },
        { label: 'Brier', num: true, value: c => num(c.holdout && c.holdout.brier) },
        { label: 'Log loss', num: true, value: c => num(c.holdout && c.holdout.log_loss) },
        { label: 'Calibration', value: c => c.calibration || '' },
      ], v.versions, { id: 'model-versions' }),
      ordered.length > 1 ? h('div', {}, h('h3', {}, 'Holdout metrics by version'),
        lineChart([{ name: 'AUC', points: metric('auc') }, { name: 'ECE', points: metric('ece') }, { name: 'Brier', points: metric('brier') }],
          { xLabel: 'version', height: 200, integerX: true })) : null);
  });

  const loadVersion = () => section(chosen, async () => {
    if (selected === null) return h('div');
    const c = await get(`/models/${name}/versions/${selected}`);
    const parts = [];
    parts.push(h('p', {}, 'Aliases: ', c.aliases && c.aliases.length ? c.aliases.map(a => badge(a)) : 'none',
      ` · job ${c.job_id || '–'} · pipeline ${c.feature_pipeline || '–'} · online revision ${c.online_revision ?? 0}`));
    if (admin && !(c.aliases || []).includes('champion')) {
      parts.push(h('h3', {}, `Promote v${c.version} to champion`),
        reasonAction('Promote', { id: 'model-promote', run: reason => post(`/models/${name}/versions/${c.version}/promote`, { reason }),
          done: r => `v${r.version} is the champion (was v${r.previous_version}).`, after: reload }));
    }
    const curve = c.calibration_curve || [];
    if (curve.length) {
      parts.push(h('h3', {}, 'Calibration curve (holdout)'), lineChart([
        { name: 'observed rate by predicted probability', points: curve.map(b => [b.mean_predicted, b.observed_rate]) },
        { name: 'perfect calibration', points: [[0, 0], [1, 1]], dashed: true, color: '#98a2b3' }],
      { xMin: 0, xMax: 1, yMin: 0, yMax: 1, xLabel: 'predicted probability', height: 260, width: 420 }));
    }
    const members = (c.members || []).filter(m => m.history && m.history.length);
    if (members.length) {
      parts.push(h('h3', {}, 'Training history'), h('div', { class: 'grid' }, members.map(m => h('div', {}, h('b', {}, `${m.model} (weight ${num(m.weight)})`),
        lineChart([{ name: 'train loss', points: m.history.map(x => [x.round, x.train_loss]) },
          { name: 'validation loss', points: m.history.map(x => [x.round, x.validation_loss]) }], { xLabel: 'round', height: 200, width: 420 })))));
    }
    if (c.survival) {
      parts.push(h('h3', {}, 'Survival calibration'), table([
        { label: 'Horizon (days)', num: true, value: x => num(x.days) },
        { label: 'Predicted share answered', num: true, value: x => num(x.mean_predicted) },
        { label: 'Observed (Kaplan–Meier)', num: true, value: x => num(x.observed) },
      ], c.survival.horizons || []));
    }
    const importance = (c.feature_importance || []).slice(0, 12);
    if (importance.length) {
      parts.push(h('h3', {}, 'Feature importance'), barChart(importance.map(f => ({ label: f.feature, value: f.importance })), { labelWidth: 190 }));
    }
    if (c.confusion) parts.push(h('p', { class: 'muted' }, `Confusion at ${num(c.confusion.threshold)}: TP ${c.confusion.tp}, FP ${c.confusion.fp}, TN ${c.confusion.tn}, FN ${c.confusion.fn}`));
    return card(`Version v${c.version}`, parts);
  });

  const loadMonitoring = () => section(monitoring, async () => {
    let mon;
    try {
      mon = await get(`/models/${name}/monitoring`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return h('p', { class: 'muted' }, err.message);
      throw err;
    }
    const drift = mon.drift || [];
    return h('div', {},
      table([
        { label: 'Version', value: v => 'v' + v.version },
        { label: 'Labelled (window / all)', num: true, value: v => `${num(v.labelled)} / ${num(v.labelled_total)}` },
        { label: 'Live AUC', num: true, value: v => num(v.auc) },
        { label: 'Holdout AUC', num: true, value: v => num(v.holdout_auc) },
        { label: 'Live ECE', num: true, value: v => num(v.ece) },
        { label: 'Holdout ECE', num: true, value: v => num(v.holdout_ece) },
        { label: 'Log loss', num: true, value: v => num(v.log_loss) },
      ], mon.versions || []),
      h('h3', {}, `Drift of served features (v${mon.drift_version ?? '–'}, ${when(mon.drift_measured_at)})`),
      drift.length ? table([
        { label: 'Feature', value: d => d.feature },
        { label: 'Test', value: d => (d.kind === 'numeric' ? `KS ${num(d.ks)}` : `χ² ${num(d.chi2)}`) },
        { label: 'p', num: true, value: d => num(d.p_value, 4) },
        { label: 'PSI', num: true, value: d => num(d.psi) },
        { label: 'Alarm', value: d => (d.alarm ? badge('drift', 'rolled_back') : '') },
      ], drift) : h('p', { class: 'muted' }, 'No drift figures yet (they need enough served rows).'),
      mon.page_hinkley ? h('p', { class: 'muted' }, `Page–Hinkley on live log loss: statistic ${num(mon.page_hinkley.statistic)} (λ ${mon.page_hinkley.lambda}), ${mon.page_hinkley.alarms} alarm(s)`) : null,
      h('h3', {}, 'Alerts'),
      (mon.alerts || []).length ? (mon.alerts || []).map(a => banner(a.severity === 'critical' ? 'bad' : 'warn', `${when(a.at)} · v${a.version} · ${a.kind}: ${a.message}`))
        : h('p', { class: 'muted' }, 'No alerts.'));
  });

  async function reload() {
    await Promise.all([loadSummary(), loadVersions()]);
    await loadVersion();
  }

  await reload();
  loadMonitoring();
  return stream(['models'], m => {
    const d = m.data || {};
    if ((d.name || d.model) && (d.name || d.model) !== name) return;
    progress.prepend(h('div', {}, h('span', { class: 'muted' }, new Date(m.at || Date.now()).toISOString().slice(11, 19) + ' '), m.type, ' ',
      m.type === 'training_progress' ? `${d.phase || ''} ${d.member || ''} ${d.round !== undefined ? 'round ' + d.round : ''} ${d.reason || ''}`
        : m.type === 'model_alias_moved' ? `${d.alias}: v${d.previous_version} → v${d.version} (${d.kind} by ${d.by}: ${d.reason})`
          : m.type === 'model_alert' ? `${d.severity} ${d.message}` : `v${d.version ?? ''}`));
    if (m.type !== 'training_progress') {
      reload();
      loadMonitoring();
    }
  }, status => { live.textContent = status; });
}
