// Experiments: the list this console knows, a create form with the ethics checks previewed, and an experiment's page
// (results with lift, CI, p, SRM and guardrail banners, a time series, lifecycle and rollout buttons, history).
import { ApiError, get, post, stream } from '../api.js';
import { lineChart } from '../charts.js';
import { badge, banner, card, clear, errorBanner, h, interval, num, pct, section, signedPct, table, when } from '../ui.js';

const KNOWN = 'hireloop.console.experiments';
const COMPONENTS = ['job_discovery', 'strategy_engine', 'orchestrator'];
const METRICS = ['interview_rate', 'offer_rate', 'response_rate', 'applications_per_week', 'time_to_first_interview_days'];

/**
 * The list is the node's (GET /experiments, admin); ids opened in this browser are kept too, so that an id opened
 * a moment after its creation (the list follows the journal by about a second) is not missing.
 */
function known() {
  try {
    return JSON.parse(localStorage.getItem(KNOWN)) || [];
  } catch (e) {
    return [];
  }
}

function remember(id) {
  const ids = known().filter(x => x !== id);
  ids.unshift(id);
  localStorage.setItem(KNOWN, JSON.stringify(ids.slice(0, 200)));
}

export async function render(root, ctx) {
  const id = ctx.params.get('id');
  return id ? detail(root, id, ctx) : list(root, ctx);
}

// ------------------------------------------------------------------ list and create

async function list(root, ctx) {
  const listEl = h('div');
  const open = h('input', { type: 'text', id: 'open-id', placeholder: 'experiment id' });
  root.append(h('h1', {}, 'Experiments'),
    card('Experiments', h('div', { class: 'actions' }, open,
      h('button', { type: 'button', class: 'secondary', onclick: () => open.value.trim() && ctx.go('experiments', { id: open.value.trim() }) }, 'Open')),
    listEl),
    card('New experiment', createForm(ctx)));
  await section(listEl, async () => {
    const listed = (await get('/experiments')).experiments;
    const seen = new Set(listed.map(r => r.experiment_id));
    const extra = known().filter(x => !seen.has(x));
    const rows = listed.concat(await Promise.all(extra.map(x => get('/experiments/' + encodeURIComponent(x))
      .catch(err => ({ experiment_id: x, error: err })))));
    if (!rows.length) return h('p', { class: 'muted' }, 'No experiment yet: create one below.');
    return table([
      { label: 'Experiment', value: r => h('a', { href: '#/experiments?id=' + encodeURIComponent(r.experiment_id) }, r.experiment_id) },
      { label: 'Name', value: r => r.name || '' },
      { label: 'Status', value: r => (r.error ? (r.error instanceof ApiError && r.error.status === 404 ? 'not found' : 'unreadable') : badge(r.status)) },
      { label: 'Component · parameter', value: r => (r.component ? `${r.component} · ${r.parameter}` : '') },
      { label: 'Success metric', value: r => r.success_metric || '' },
      { label: 'Created', value: r => when(r.created_at) },
    ], rows, { id: 'experiment-list' });
  });
}

/** The ethics checks of API.md's start, computed here as the node does, so the form shows them before a start. */
export function ethics(spec) {
  const checks = [];
  const control = spec.variants.find(v => v.variant_id === 'control');
  const treatments = spec.variants.filter(v => v.variant_id !== 'control');
  checks.push({ name: 'control and treatment', pass: !!control && treatments.length > 0,
    rule: 'a variant "control" (what opted-out users get) and at least one treatment' });
  const harm = treatments.filter(v => v.impact && ((v.impact.job_recommendations_change ?? 0) < -0.2 || (v.impact.user_effort_change ?? 0) > 0.5));
  checks.push({ name: 'no harm', pass: harm.length === 0,
    rule: 'no treatment cuts job recommendations by more than 20 % or raises user effort by more than 50 %' });
  checks.push({ name: 'rollback plan', pass: !!(spec.rollback_plan && spec.rollback_plan.trim()), rule: 'a rollback plan is written down' });
  const enough = spec.expected_improvement >= 0.05;
  checks.push({ name: 'meaningful benefit', pass: enough, rule: 'expected improvement ≥ 5 %' });
  const needed = enough ? sampleSize(spec.baseline_rate, spec.baseline_rate * spec.expected_improvement) : null;
  checks.push({ name: 'power', pass: needed !== null && spec.minimum_sample_size >= needed,
    rule: needed === null ? 'needs a meaningful benefit first'
      : `detecting ${pct(spec.expected_improvement)} on a baseline of ${spec.baseline_rate} with power 0.8 needs ${num(needed)} users per variant` });
  return checks;
}

/** stats.Power.sampleSizeProportions with α = 0.05 (two-sided) and power 0.8. */
function sampleSize(p1, mde) {
  const p2 = p1 + mde;
  if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1 && mde !== 0)) return null;
  const pBar = (p1 + p2) / 2, za = 1.959963984540054, zb = 0.8416212335729143;
  const a = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((a * a) / (mde * mde));
}

function jsonOrText(s) {
  try {
    return JSON.parse(s);
  } catch (e) {
    return s;
  }
}

function createForm(ctx) {
  const f = {};
  const field = (name, label, input) => {
    f[name] = input;
    input.id = 'new-' + name.replace(/_/g, '-');
    return h('label', {}, h('span', { class: 'l' }, label), input);
  };
  const text = (value = '') => h('input', { type: 'text', value });
  const number = (value, step = 'any') => h('input', { type: 'number', value, step });
  const guardrails = METRICS.map(m => h('label', { style: 'display:inline-block;margin-right:.8rem' },
    h('input', { type: 'checkbox', value: m, checked: m === 'offer_rate' }), ' ', m));
  const checksEl = h('ul', { class: 'checks', id: 'ethics-checks' });
  const out = h('div');
  const form = h('form', { class: 'stack', id: 'create-experiment' },
    field('experiment_id', 'Id (letters, digits, _ . : -)', text()),
    field('name', 'Name', text()),
    field('hypothesis', 'Hypothesis', text()),
    field('component', 'Component', h('select', {}, COMPONENTS.map(c => h('option', { value: c }, c)))),
    field('parameter', 'Parameter', text('min_fit_score_to_apply')),
    field('control_value', 'Control value (JSON)', text('60')),
    field('treatment_id', 'Treatment id', text('treatment')),
    field('treatment_value', 'Treatment value (JSON)', text('55')),
    field('treatment_allocation', 'Treatment allocation (0–1; control gets the rest)', number(0.5)),
    field('job_recommendations_change', 'Treatment: job recommendations change (−0.25 = 25 % fewer)', number('')),
    field('user_effort_change', 'Treatment: user effort change (0.6 = 60 % more)', number('')),
    field('success_metric', 'Success metric', h('select', {}, METRICS.map(m => h('option', { value: m }, m)))),
    h('div', {}, h('span', { class: 'l muted' }, 'Guardrail metrics'), guardrails),
    field('minimum_sample_size', 'Minimum sample size (users per variant)', number(1000, 1)),
    field('maximum_duration_days', 'Maximum duration (days)', number(28, 1)),
    field('attribution_window_days', 'Attribution window (days, 0 = every outcome so far)', number(14)),
    field('expected_improvement', 'Expected improvement (relative, 0.10 = +10 %)', number(0.3)),
    field('baseline_rate', 'Baseline rate of the control', number(0.1)),
    field('rollback_plan', 'Rollback plan', text('keep the control value')),
    h('h3', {}, 'Ethics checks (the node runs the same ones at start)'), checksEl,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'create-button' }, 'Create (draft)')),
    out);
  const spec = () => {
    const treatment = { variant_id: f.treatment_id.value.trim(), value: jsonOrText(f.treatment_value.value),
      allocation: Number(f.treatment_allocation.value) };
    const impact = {};
    if (f.job_recommendations_change.value !== '') impact.job_recommendations_change = Number(f.job_recommendations_change.value);
    if (f.user_effort_change.value !== '') impact.user_effort_change = Number(f.user_effort_change.value);
    if (Object.keys(impact).length) treatment.impact = impact;
    return {
      experiment_id: f.experiment_id.value.trim(), name: f.name.value, hypothesis: f.hypothesis.value,
      component: f.component.value, parameter: f.parameter.value.trim(),
      variants: [{ variant_id: 'control', value: jsonOrText(f.control_value.value), allocation: 1 - treatment.allocation }, treatment],
      success_metric: f.success_metric.value,
      guardrail_metrics: guardrails.map(l => l.querySelector('input')).filter(i => i.checked && i.value !== f.success_metric.value).map(i => i.value),
      minimum_sample_size: Number(f.minimum_sample_size.value), maximum_duration_days: Number(f.maximum_duration_days.value),
      attribution_window_days: Number(f.attribution_window_days.value), expected_improvement: Number(f.expected_improvement.value),
      baseline_rate: Number(f.baseline_rate.value), rollback_plan: f.rollback_plan.value,
    };
  };
  const refresh = () => clear(checksEl, ethics(spec()).map(c => h('li', { class: c.pass ? 'pass' : 'fail' }, h('b', {}, c.name), ': ', c.rule)));
  form.addEventListener('input', refresh);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const s = spec();
    try {
      const created = await post('/experiments', s);
      remember(created.experiment_id);
      ctx.go('experiments', { id: created.experiment_id });
    } catch (err) {
      clear(out, errorBanner(err));
    }
  });
  refresh();
  return form;
}

// ------------------------------------------------------------------ one experiment

const SERIES = id => 'hireloop.console.series.' + id;

function series(id, results) {
  let points = [];
  try {
    points = JSON.parse(sessionStorage.getItem(SERIES(id))) || [];
  } catch (e) { /* start afresh */ }
  if (results) {
    const point = { at: results.as_of, variants: {} };
    for (const v of results.variants) point.variants[v.variant_id] = { value: v.rate ?? v.mean ?? null, exposed: v.exposed_users };
    if (!points.length || points[points.length - 1].at !== point.at) points.push(point);
    points = points.slice(-500);
    sessionStorage.setItem(SERIES(id), JSON.stringify(points));
  }
  return points;
}

async function detail(root, id, ctx) {
  remember(id);
  const head = h('div'), actions = h('div'), results = h('div'), chart = h('div'), history = h('div');
  const live = h('span', { class: 'muted' }, 'connecting…');
  root.append(h('p', {}, h('a', { href: '#/experiments' }, '← all experiments')), head,
    card('Actions', actions),
    card('Results', h('p', { class: 'muted' }, 'Live: ', live, ' · ',
      h('button', { type: 'button', class: 'secondary', id: 'refresh-results', onclick: () => loadResults() }, 'Refresh')), results),
    card('Over time (results seen by this browser)', chart),
    card('History', history));
  let experiment = null;
  let lastResults = null;

  const loadExperiment = async () => {
    try {
      experiment = await get('/experiments/' + encodeURIComponent(id));
    } catch (err) {
      clear(head, h('h1', {}, id), errorBanner(err));
      clear(actions);
      return false;
    }
    const e = experiment;
    clear(head, h('h1', {}, e.name || id, ' ', h('span', { id: 'experiment-status' }, badge(e.status))),
      h('p', {}, h('b', {}, e.experiment_id), ` · ${e.component}.${e.parameter} · success metric ${e.success_metric}`
        + (e.guardrail_metrics && e.guardrail_metrics.length ? ` · guardrails ${e.guardrail_metrics.join(', ')}` : '')
        + ` · minimum ${num(e.minimum_sample_size)} users per variant · window ${e.attribution_window_days} days`),
      h('p', { class: 'muted' }, e.hypothesis),
      table([
        { label: 'Variant', value: v => v.variant_id },
        { label: 'Value', value: v => JSON.stringify(v.value) },
        { label: 'Allocation', num: true, value: v => pct(v.allocation) },
        { label: 'Impact', value: v => (v.impact ? JSON.stringify(v.impact) : '') },
      ], e.variants),
      h('h3', {}, 'Ethics checks'),
      h('ul', { class: 'checks' }, ethics(e).map(c => h('li', { class: c.pass ? 'pass' : 'fail' }, h('b', {}, c.name), ': ', c.rule))));
    renderActions();
    return true;
  };

  const act = (label, path, body, { kind = '', id: elementId } = {}) => {
    const button = h('button', { type: 'button', class: kind, id: elementId }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const reply = await post(`/experiments/${encodeURIComponent(id)}/${path}`, typeof body === 'function' ? body() : body);
        const cfg = reply && reply.config ? ` · ${reply.config.component} config v${reply.config.version} written` : '';
        clear(actionOut, banner('ok', `${label}: done — status ${reply.status}${cfg}`));
      } catch (err) {
        clear(actionOut, errorBanner(err));
      }
      button.disabled = false;
      await refreshAll();
    });
    return button;
  };
  const actionOut = h('div', { id: 'action-result' });

  const renderActions = () => {
    const s = experiment.status;
    const traffic = h('input', { type: 'number', min: 0.01, max: 1, step: 0.05, value: 0.5, id: 'ramp-traffic', style: 'width:6rem' });
    const variant = h('select', { id: 'approve-variant' }, experiment.variants.filter(v => v.variant_id !== 'control')
      .map(v => h('option', { value: v.variant_id }, v.variant_id)));
    const live = ['running', 'paused'].includes(s);
    clear(actions,
      h('div', { class: 'actions' },
        s === 'draft' ? act('Start', 'start', {}, { id: 'start-button' }) : null,
        s === 'running' ? act('Pause', 'pause', {}, { kind: 'secondary', id: 'pause-button' }) : null,
        s === 'paused' ? act('Resume', 'resume', {}, { id: 'resume-button' }) : null,
        live ? act('Complete', 'complete', {}, { kind: 'secondary', id: 'complete-button' }) : null),
      ['draft', 'running', 'paused'].includes(s) ? h('div', { class: 'actions' }, h('span', {}, 'Ramp traffic to'), traffic,
        act('Ramp', 'ramp', () => ({ traffic: Number(traffic.value) }), { kind: 'secondary', id: 'ramp-button' })) : null,
      ['running', 'paused', 'completed'].includes(s) ? h('div', { class: 'actions' },
        act('Roll out the winner', 'rollout', {}, { id: 'rollout-button' }),
        h('span', {}, 'or approve a rollout of'), variant,
        act('Approve rollout', 'approve', () => ({ variant_id: variant.value }), { id: 'approve-button' })) : null,
      ['running', 'paused', 'completed', 'rolled_out'].includes(s) ? h('div', { class: 'actions' },
        act('Roll back', 'rollback', {}, { kind: 'danger', id: 'rollback-button' }),
        h('span', { class: 'muted' }, 'ends the experiment; a config written by its rollout returns to the version before it')) : null,
      actionOut);
  };

  const loadResults = async () => {
    if (!experiment) return;
    try {
      lastResults = await get(`/experiments/${encodeURIComponent(id)}/results`);
    } catch (err) {
      clear(results, errorBanner(err));
      return;
    }
    showResults(lastResults);
  };

  const showResults = r => {
    const points = series(id, r);
    clear(results, resultsView(r, experiment));
    const variants = [...new Set(points.flatMap(p => Object.keys(p.variants)))];
    clear(chart, points.length < 2 ? h('p', { class: 'muted' }, 'Points appear as results change (each refresh and each live update adds one).')
      : h('div', { class: 'grid' },
        lineChart(variants.map(v => ({ name: `${v} ${r.success_metric}`, points: points.map(p => [new Date(p.at), p.variants[v] ? p.variants[v].value : null]) })),
          { height: 200, width: 460 }),
        lineChart(variants.map(v => ({ name: `${v} exposed users`, points: points.map(p => [new Date(p.at), p.variants[v] ? p.variants[v].exposed : null]) })),
          { height: 200, width: 460, yMin: 0 })));
  };

  const refreshAll = async () => {
    if (await loadExperiment()) {
      await loadResults();
      section(history, async () => historyView((await get(`/experiments/${encodeURIComponent(id)}/history`)).history));
    }
  };

  await refreshAll();
  const close = stream(['experiment:' + id], m => {
    if (m.type === 'experiment_results') showResults(m.data);
    else refreshAll();
  }, status => { live.textContent = status; });
  return close;
}

function resultsView(r, e) {
  const proportion = r.variants.some(v => 'rate' in v);
  const banners = [];
  if (r.srm) {
    banners.push(r.srm.mismatch
      ? banner('bad', `Sample-ratio mismatch: exposures do not match the allocation (χ² ${num(r.srm.chi2)}, p ${num(r.srm.p_value, 4)} < ${r.srm.threshold}). Results are not trustworthy until the cause is found.`)
      : banner('ok', `No sample-ratio mismatch (p ${num(r.srm.p_value, 3)} ≥ ${r.srm.threshold}).`));
  }
  for (const g of r.guardrails || []) {
    if (!g.evaluated) banners.push(banner('info', `Guardrail ${g.metric} (${g.variant_id}): not evaluated yet.`));
    else if (g.breached) banners.push(banner('bad', `Guardrail breached: ${g.metric} is worse for ${g.variant_id} (${num(g.control_value)} → ${num(g.treatment_value)}, one-sided p ${num(g.one_sided_p_value, 4)}).`));
    else banners.push(banner('ok', `Guardrail ${g.metric} holds for ${g.variant_id} (${num(g.control_value)} → ${num(g.treatment_value)}, one-sided p ${num(g.one_sided_p_value, 3)}).`));
  }
  const decisionKind = { roll_out_winner: 'ok', stop_for_harm: 'bad', continue_test: 'info', no_significant_difference: 'warn' }[r.decision] || 'info';
  const decisionText = {
    roll_out_winner: `Decision: roll out the winner ${r.winner}.`,
    stop_for_harm: `Decision: stop for harm (${r.harmful_variant || ''}) — ${(r.harm || []).join('; ')}`,
    continue_test: 'Decision: continue the test.',
    no_significant_difference: 'Decision: no significant difference.',
  }[r.decision] || `Decision: ${r.decision}`;
  const ro = r.rollout || {};
  return h('div', { id: 'results' },
    h('p', { class: 'muted' }, `As of ${when(r.as_of)} · ${r.success_metric} · attribution window ${r.attribution_window_days} days`),
    h('div', { id: 'decision' }, banner(decisionKind, decisionText)),
    h('div', { id: 'banners' }, banners),
    table([
      { label: 'Variant', value: v => v.variant_id },
      { label: 'Exposed', num: true, value: v => num(v.exposed_users) },
      { label: 'Eligible', num: true, value: v => num(v.eligible_users) },
      proportion ? { label: 'Conversions', num: true, value: v => num(v.conversions) } : { label: 'Observations', num: true, value: v => num(v.observations) },
      { label: proportion ? 'Rate' : 'Mean', num: true, value: v => (proportion ? pct(v.rate) : num(v.mean)) },
      { label: '95 % CI', value: v => interval(v.ci, proportion ? pct : num) },
    ], r.variants, { id: 'variant-results' }),
    h('h3', {}, 'Treatment vs control'),
    table([
      { label: 'Variant', value: c => c.variant_id },
      { label: 'Lift', num: true, value: c => (c.problem ? c.problem : signedPct(c.relative_difference)) },
      { label: 'Difference', num: true, value: c => num(c.absolute_difference, 4) },
      { label: 'CI of the difference', value: c => interval(c.ci, x => num(x, 4)) },
      { label: 'p', num: true, value: c => num(c.p_value, 4) },
      { label: 'Holm p', num: true, value: c => num(c.p_value_holm, 4) },
      { label: 'Always-valid p', num: true, value: c => num(c.always_valid_p_value, 4) },
      { label: 'Power', num: true, value: c => pct(c.achieved_power) },
    ], r.comparisons || [], { id: 'comparisons' }),
    h('h3', {}, 'Decision checks'),
    h('ul', { class: 'checks' }, (r.checks || []).map(c => h('li', { class: c.pass ? 'pass' : 'fail' }, h('b', {}, c.name), ': ', c.rule))),
    h('h3', {}, 'Rollout'),
    h('p', { id: 'rollout-state' }, ro.status === 'none' || !ro.status ? 'No rollout.'
      : `Rollout ${ro.status}: variant ${ro.variant_id}, stage ${ro.stage} of ${(ro.stages || []).length} (${pct(ro.rollout_fraction, 0)} of users), config v${ro.config_version} (before: v${ro.previous_config_version})`));
}

function historyView(lines) {
  return table([
    { label: 'When', value: l => when(l.at) },
    { label: 'What', value: l => l.type },
    { label: 'By', value: l => l.by || '' },
    { label: 'Details', value: l => Object.entries(l).filter(([k]) => !['at', 'type', 'by'].includes(k))
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ') },
  ], lines, { id: 'experiment-history' });
}
