// Configs and recommendations: what waits for approval (with its evidence), approve / reject, every recommendation,
// and each component's current config, history and rollback.
import { get, post, stream } from '../api.js';
import { badge, banner, card, clear, h, interval, num, reasonAction, section, signedPct, table, when } from '../ui.js';

const COMPONENTS = ['job_discovery', 'strategy_engine', 'orchestrator'];

export async function render(root, ctx) {
  const admin = ctx.claims.role === 'admin';
  const pending = h('div', { id: 'pending-recommendations' }), all = h('div'), configs = h('div');
  const live = h('span', { class: 'muted' }, 'connecting…');
  root.append(h('h1', {}, 'Configs & recommendations'), h('p', {}, 'Live: ', live),
    card('Waiting for approval', pending), card('All recommendations', all), configs);

  const evidenceView = r => {
    const e = r.evidence || {};
    const i = r.expected_impact || {};
    return h('div', {},
      h('p', {}, `${r.kind} · route ${r.route} · risk `, badge(r.risk, r.risk === 'high' ? 'rolled_back' : r.risk === 'medium' ? 'paused' : 'applied'),
        ` · created ${when(r.created_at)}`),
      h('p', {}, 'Change: ', h('code', {}, `${r.change.component} ${JSON.stringify(r.change.values)}`)),
      h('p', {}, `Expected impact on ${i.metric}: ${signedPct(i.expected)} (interval ${interval([i.low, i.high], signedPct)})`),
      table([{ label: 'Evidence', value: x => x[0] }, { label: '', value: x => x[1] }], [
        ['source', e.source], ['method', e.method], ['estimate', num(e.estimate, 4)], ['CI', interval([e.ci_low, e.ci_high], x => num(x, 4))],
        ['sample size', num(e.sample_size)], ['causal confidence', e.causal_confidence ?? '–'], ['confounded', String(!!e.confounded)],
        ['model', e.model ? `${e.model.name} v${e.model.version} (AUC ${num(e.model.auc)}, ECE ${num(e.model.ece)}, confidence ${num(e.model.confidence)})` : '–'],
      ].filter(x => x[1] !== undefined && x[1] !== null && x[1] !== '–' || x[0] === 'source')),
      h('ul', {}, (r.route_reasons || []).map(x => h('li', {}, x))));
  };

  const loadRecommendations = async () => {
    await section(pending, async () => {
      const list = (await get('/recommendations?status=pending_review')).recommendations;
      if (!list.length) return h('p', { class: 'muted' }, 'Nothing waits for approval.');
      return list.map(r => h('div', { class: 'card', 'data-recommendation': r.id },
        h('h3', {}, `${r.id}: ${r.title}`), evidenceView(r),
        admin ? h('div', {},
          reasonAction('Approve', { id: 'approve-' + r.id, run: reason => post(`/recommendations/${r.id}/approve`, { reason }),
            done: x => `${x.id} is ${x.status}${x.config_version !== null && x.config_version !== undefined ? ' (config v' + x.config_version + ')' : ''}${x.blocked_by ? ', waiting for ' + x.blocked_by : ''}.`,
            after: reloadAll }),
          reasonAction('Reject', { kind: 'danger', id: 'reject-' + r.id, run: reason => post(`/recommendations/${r.id}/reject`, { reason }),
            done: x => `${x.id} is ${x.status}.`, after: reloadAll }))
          : banner('info', 'Approving and rejecting need an admin token.')));
    });
    await section(all, async () => {
      const list = (await get('/recommendations')).recommendations;
      if (!list.length) return h('p', { class: 'muted' }, 'No recommendation yet.');
      return table([
        { label: 'Id', value: r => r.id },
        { label: 'Title', value: r => r.title },
        { label: 'Status', value: r => badge(r.status) },
        { label: 'Route', value: r => r.route },
        { label: 'Change', value: r => `${r.change.component} ${JSON.stringify(r.change.values)}` },
        { label: 'Decided', value: r => (r.decided_by ? `${r.decided_by}: ${r.decision_reason || ''}` : '') },
        { label: 'History', value: r => (r.history || []).map(x => `${x.status} by ${x.by}`).join(' → ') },
      ], [...list].reverse());
    });
  };

  const componentCards = Object.fromEntries(COMPONENTS.map(c => [c, h('div', { id: 'config-' + c })]));
  clear(configs, COMPONENTS.map(c => card(`Config: ${c}`, componentCards[c])));

  const loadConfig = c => section(componentCards[c], async () => {
    const hist = await get(`/configs/${c}/history`);
    const current = hist.versions[hist.versions.length - 1];
    const toVersion = h('input', { type: 'number', min: 0, step: 1, id: `rollback-${c}-version`, style: 'width:6rem',
      value: Math.max(0, hist.current_version - 1) });
    return h('div', {},
      h('p', {}, 'Current: ', h('b', { class: 'config-version' }, 'v' + hist.current_version), ` · ${current.provenance} · ${when(current.last_updated)}`
        + (current.actor ? ` · by ${current.actor}` : '')),
      h('pre', {}, JSON.stringify(current.values, null, 2)),
      current.reason ? h('p', { class: 'muted' }, current.reason) : null,
      h('h3', {}, 'History (newest first)'),
      table([
        { label: 'Version', value: v => 'v' + v.version },
        { label: 'Provenance', value: v => v.provenance + (v.restores_version !== undefined && v.restores_version !== null ? ` of v${v.restores_version}` : '') },
        { label: 'When', value: v => when(v.last_updated) },
        { label: 'By', value: v => v.actor || '' },
        { label: 'Source', value: v => v.source || '' },
        { label: 'Confidence', num: true, value: v => num(v.confidence) },
        { label: 'Values', value: v => JSON.stringify(v.values).replace(/,"/g, ', "') },
      ], [...hist.versions].reverse()),
      admin ? h('div', {}, h('h3', {}, 'Roll back'),
        h('div', { class: 'actions' }, h('span', {}, 'to version'), toVersion),
        reasonAction('Roll back', { kind: 'danger', id: `rollback-${c}`,
          run: reason => post(`/configs/${c}/rollback`, { to_version: Number(toVersion.value), reason }),
          done: v => `${c} v${v.version} written with the values of v${v.restores_version}.`, after: () => loadConfig(c) })) : null);
  });

  async function reloadAll() {
    await Promise.all([loadRecommendations(), ...COMPONENTS.map(loadConfig)]);
  }

  await reloadAll();
  return stream(['recommendations', ...COMPONENTS.map(c => 'config:' + c)], m => {
    if (m.topic === 'recommendations') loadRecommendations();
    else loadConfig(m.topic.slice('config:'.length));
  }, status => { live.textContent = status; });
}
