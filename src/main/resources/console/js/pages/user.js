// A user's page: performance, patterns, weekly insights, reminders, the learned personal settings, the strategy and the
// cold start; live outcomes and reminders via the stream.
// A user token sees only its own id; admin and service tokens choose one.
import { get, stream } from '../api.js';
import { barChart } from '../charts.js';
import { banner, card, h, interval, num, pct, section, table, when } from '../ui.js';

const DIMENSIONS = ['roles', 'locations', 'company_types', 'seniority', 'resume_versions', 'strategy_modes', 'categories', 'tailoring'];

function lastMonday() {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7);
  return d.toISOString().slice(0, 10);
}

const rate = r => (!r ? '–' : r.insufficient_sample ? `${r.successes}/${r.sample_size} (too few)` : `${pct(r.rate)} of ${r.sample_size} ${interval(r.interval)}`);

export async function render(root, ctx) {
  const self = ctx.claims.role === 'user';
  const userId = self ? ctx.claims.sub : ctx.params.get('id');
  const picker = h('input', { type: 'text', id: 'user-id', value: userId || '', placeholder: 'user id' });
  root.append(h('h1', {}, self ? `Your page (${userId})` : 'User'),
    self ? null : h('div', { class: 'actions' }, picker,
      h('button', { type: 'button', onclick: () => picker.value.trim() && ctx.go('user', { id: picker.value.trim() }) }, 'Show')));
  if (!userId) {
    root.append(h('p', { class: 'muted' }, 'Enter a user id.'));
    return undefined;
  }
  const performance = h('div', { id: 'user-performance' }), patterns = h('div'), weekly = h('div'), reminders = h('div');
  const personal = h('div', { id: 'user-config' }), strategy = h('div', { id: 'user-strategy' }), coldStart = h('div', { id: 'user-cold-start' });
  const live = h('div', { class: 'feed' });
  const week = h('input', { type: 'date', value: lastMonday(), id: 'week-start' });
  root.append(card('Performance', performance), card('Patterns', patterns),
    card('Weekly insights', h('div', { class: 'actions' }, h('span', {}, 'Week starting (a Monday)'), week,
      h('button', { type: 'button', class: 'secondary', onclick: () => loadWeek() }, 'Show')), weekly),
    card('Reminders', reminders), card('Personal settings', personal), card('Strategy', strategy),
    card('Cold start (from the profile)', coldStart), card('Live', live));
  const base = '/users/' + encodeURIComponent(userId);

  const loadPerformance = () => section(performance, async () => {
    const p = await get(base + '/performance');
    const modes = Object.entries(p.rates_by_mode || {});
    return h('div', { class: 'grid' },
      h('div', {},
        h('div', { class: 'figure' }, `${num(p.total_applications)} applications`),
        h('p', {}, `Interview rate ${pct(p.interview_rate)} (${num(p.interview_requests)} requests) · offers ${num(p.offers)} (${pct(p.offer_rate)})`),
        h('p', {}, `Rejections ${num(p.rejections)} · ghosted ${num(p.ghosted)} · average ${num(p.avg_days_to_response, 1)} days to a response`),
        h('p', {}, `Resume score ${num(p.resume_score_start)} → ${num(p.resume_score_current)} · rewrites accepted ${num(p.rewrites_accepted)}, rejected ${num(p.rewrites_rejected)}`),
        h('p', { class: 'muted' }, `as of event ${p.as_of_seq_nr}`)),
      modes.length ? h('div', {}, h('h3', {}, 'Interview rate by strategy mode (Wilson 95 %)'),
        barChart(modes.map(([m, r]) => ({ label: m, value: r.interview_rate, low: r.interview_rate_interval && r.interview_rate_interval.low,
          high: r.interview_rate_interval && r.interview_rate_interval.high })), { format: pct, width: 420 })) : null);
  });

  const loadPatterns = () => section(patterns, async () => {
    const p = await get(base + '/patterns');
    return h('div', {},
      h('p', {}, `${num(p.applications)} applications · interview rate ${rate(p.interview_rate)} · minimum sample ${p.min_sample}`),
      table([
        { label: 'Dimension', value: d => d },
        { label: 'Best', value: d => (p[d] && p[d].best ? `${p[d].best.value}: ${rate(p[d].best)}` : '–') },
        { label: 'All values', value: d => (p[d] ? p[d].values.map(v => `${v.value} ${rate(v)}`).join(' · ') : '') },
      ], DIMENSIONS.filter(d => p[d])),
      (p.sections && p.sections.values.length) ? h('div', {}, h('h3', {}, 'Resume sections'), table([
        { label: 'Section', value: s => s.section },
        { label: 'Since', value: s => when(s.since) },
        { label: 'With', value: s => rate(s.with) },
        { label: 'Without', value: s => rate(s.without) },
        { label: 'Lift', num: true, value: s => (s.lift === null ? '–' : pct(s.lift)) },
      ], p.sections.values)) : null);
  });

  const loadWeek = () => section(weekly, async () => {
    let w;
    try {
      w = await get(`${base}/insights/weekly?week_start=${week.value}`);
    } catch (err) {
      if (err.status === 404) return h('p', { class: 'muted' }, `No insights for the week of ${week.value}: ${err.message}`);
      throw err;
    }
    const list = (title, items) => (items && items.length ? h('div', {}, h('h3', {}, title), h('ul', {}, items.map(x => h('li', {}, typeof x === 'string' ? x
      : `${x.dimension} ${x.value}: ${pct(x.rate)} over ${x.sample_size} vs ${pct(x.compared_with)}`)))) : null);
    const vs = w.vs_similar_users || {};
    return h('div', {},
      h('p', {}, `${w.week_start} – ${w.week_end}: ${num(w.activity.applications)} applications, ${num(w.activity.responses)} responses, ${num(w.activity.interview_requests)} interview requests, ${num(w.activity.offers)} offers`),
      h('div', { class: 'grid' }, list('Highlights', w.highlights), list('Concerns', w.concerns), list('What worked', w.what_worked),
        list("What didn't", w.what_didnt), list('Try this week', w.try_this_week), list('Stop doing', w.stop_doing)),
      h('p', {}, vs.segment_id ? `Against ${vs.segment_users} similar users (${vs.segment_id}): your rate ${pct(vs.your_rate)}, theirs ${pct(vs.segment_average)}, percentile ${num(vs.percentile, 1)}`
        : `Compared with similar users: ${vs.suppressed || 'not available'}`));
  });

  const loadReminders = () => section(reminders, async () => {
    const sent = [];
    let after = 0;
    for (let page = 0; page < 10; page++) {
      const r = await get(`${base}/events?after_seq=${after}&limit=1000`);
      sent.push(...r.events.filter(e => e.event_type === 'REMINDER_SENT'));
      if (r.events.length < 1000) break;
      after = r.next_after_seq;
    }
    return sent.length ? table([
      { label: 'Sent', value: e => when(e.timestamp) },
      { label: 'Application', value: e => e.application_id },
      { label: 'Step', num: true, value: e => e.step },
      { label: 'After', value: e => e.after },
    ], sent.reverse()) : h('p', { class: 'muted' }, 'No reminder sent yet (new ones appear below as they are sent).');
  });

  // Learned from the user's data: shown as far as there is some; "not yet" is an answer, not an error.
  const optional = (el, load) => section(el, async () => {
    try {
      return await load();
    } catch (err) {
      if (err.status === 404 || err.status === 503) return h('p', { class: 'muted' }, err.message);
      throw err;
    }
  });
  const show = v => (v !== null && typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${num(x, 2)}`).join(' · ') : num(v, 2));

  const loadPersonal = () => optional(personal, async () => {
    const c = await get(base + '/config');
    return h('div', {}, h('p', { class: 'muted' }, c.rule), table([
      { label: 'Setting', value: x => x.name },
      { label: 'Value', value: x => show(x.value) },
      { label: 'Global', value: x => show(x.global_value) },
      { label: 'Source', value: x => x.source },
      { label: 'Evidence', value: x => `${num(x.sample_size)} ${x.sample_unit} (needs ${num(x.min_sample_size)}), weight ${num(x.weight, 2)}` },
    ], c.settings));
  });

  const point = (title, x) => h('p', {}, `${title}: ${num(x.applications_per_week, 1)} applications/week at fit ≥ ${num(x.min_fit_score, 1)}, mix ${show(x.category_mix)} → `
    + `${num(x.expected_interviews_per_week, 2)} interviews/week, ${num(x.expected_weeks_to_offer, 1)} weeks to an offer, ${num(x.effort_hours_per_week, 1)} h/week`);
  const loadStrategy = () => optional(strategy, async () => {
    const st = await get(base + '/strategy');
    return h('div', {}, point('Recommended', st.recommended), point('Now', st.current),
      h('p', { class: 'muted' }, `${st.recommended.rule}; ${st.pareto_front.length} points on the Pareto front (NSGA-II, ${st.optimisation.evaluations} evaluations)`));
  });

  const loadColdStart = () => optional(coldStart, async () => {
    const c = await get(base + '/cold-start');
    const pr = c.prediction || {};
    const strong = c.predicted_strong ? Object.entries(c.predicted_strong).map(([f, vs]) => `${f}: ${(vs || []).map(v => `${v.value} ${pct(v.interview_probability)}`).join(', ') || '–'}`).join(' · ') : '–';
    return h('div', {},
      h('p', {}, `Predicted interview rate ${pct(pr.interview_rate)} (${pct(pr.ci_low)}–${pct(pr.ci_high)}), prior weight ${num(pr.prior_weight, 2)} over ${num(pr.own_applications)} own applications · basis ${c.basis}`),
      c.peer_benchmark ? h('p', {}, `Similar users (${num(c.peer_benchmark.users)}): ${pct(c.peer_benchmark.interview_rate)}; everyone ${pct(c.peer_benchmark.all_users_rate)}`) : null,
      h('p', {}, `Strong: ${strong}`),
      (c.notes || []).length ? h('p', { class: 'muted' }, c.notes.join(' ')) : null);
  });

  await Promise.all([loadPerformance(), loadPatterns(), loadWeek(), loadReminders(), loadPersonal(), loadStrategy(), loadColdStart()]);
  return stream(['user:' + userId], m => {
    const d = m.data || {};
    live.prepend(m.type === 'reminder'
      ? banner('warn', `Reminder: application ${d.application_id} (job ${d.job_id}) has had no answer for ${d.days_since_application} days.`)
      : h('div', {}, h('span', { class: 'muted' }, new Date(m.at || Date.now()).toISOString().slice(11, 19) + ' '), m.type));
    if (m.type === 'performance_updated' || m.type === 'outcome_recorded') loadPerformance();
    if (m.type === 'insight') loadWeek();
    if (m.type === 'reminder') loadReminders();
  }, status => { if (status !== 'live') live.prepend(h('div', { class: 'muted' }, status)); });
}
