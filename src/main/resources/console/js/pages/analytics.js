// Analytics: segments, the anonymised market, data quality, resume-score calibration and response timing.
import { barChart, lineChart } from '../charts.js';
import { get } from '../api.js';
import { banner, card, h, interval, num, pct, section, table } from '../ui.js';

export async function render(root) {
  const segments = h('div'), market = h('div'), quality = h('div'), calibration = h('div'), timing = h('div');
  root.append(h('h1', {}, 'Analytics'),
    card('Segments', segments), card('Market (last 12 weeks, anonymised)', market), card('Data quality', quality),
    card('Resume score calibration', calibration), card('Response timing', timing));

  await Promise.all([
    section(segments, async () => {
      const s = await get('/segments');
      if (!s.segments.length) return h('p', { class: 'muted' }, `No segment has ${s.min_users} users yet.`);
      return h('div', {}, table([
        { label: 'Segment', value: x => x.segment_id },
        { label: 'Users', num: true, value: x => num(x.users) },
        { label: 'Applications', num: true, value: x => num(x.applications) },
        { label: 'Interview rate (pooled)', num: true, value: x => pct(x.interview_rate && x.interview_rate.rate) },
        { label: '95 % CI', value: x => interval(x.interview_rate && x.interview_rate.interval) },
        { label: 'Applications per interview', num: true, value: x => num(x.applications_to_interview && x.applications_to_interview.value, 1) },
        { label: 'What works', value: x => (x.strategies_that_work || []).map(w => `${w.strategy}=${w.value} (${pct(w.rate)})`).join(', ') },
        { label: 'Pitfalls', value: x => (x.common_pitfalls || []).map(w => `${w.strategy}=${w.value} (${pct(w.rate)})`).join(', ') },
      ], s.segments));
    }),
    section(market, async () => {
      const m = await get('/market');
      const months = (m.seasonality && m.seasonality.months) || [];
      return h('div', { class: 'grid' },
        h('div', {}, h('h3', {}, 'Active industries (interview rate)'),
          m.active_industries.length ? barChart(m.active_industries.map(i => ({ label: i.industry, value: i.interview_rate })), { format: pct })
            : h('p', { class: 'muted' }, 'No industry has enough users.')),
        h('div', {}, h('h3', {}, 'Locations (interview rate)'),
          m.hottest_locations.length ? barChart(m.hottest_locations.map(i => ({ label: i.location, value: i.interview_rate })), { format: pct })
            : h('p', { class: 'muted' }, 'No location has enough users.')),
        h('div', {}, h('h3', {}, 'Seasonality'), months.length > 1
          ? lineChart([{ name: 'interview rate by month', points: months.map(x => [x.month, x.interview_rate]) }], { xLabel: 'month', height: 180, width: 420 })
          : h('p', { class: 'muted' }, 'Fewer than two published months.')),
        h('div', {}, h('h3', {}, 'Ghosting and response time'),
          h('p', {}, m.ghosting ? `Ghosted: ${pct(m.ghosting.rate)} of ${num(m.ghosting.applications)} applications` : 'Ghosting: suppressed (too few users).'),
          h('p', {}, m.days_to_first_response ? `Days to first response: mean ${num(m.days_to_first_response.mean, 1)}, median ${num(m.days_to_first_response.median, 1)}` : 'Days to first response: suppressed.'),
          h('p', { class: 'muted' }, `Every cell from at least ${m.k_anonymity} users; suppressed cells: ${JSON.stringify(m.suppressed)}`)));
    }),
    section(quality, async () => {
      const q = await get('/analytics/data-quality');
      const rules = Object.entries(q.validation_failures.by_rule || {});
      const d = q.outcome_reporting_delay || {};
      return h('div', { class: 'grid' },
        h('div', {}, h('h3', {}, `Validation failures: ${num(q.validation_failures.total)}`),
          rules.length ? table([{ label: 'Rule', value: r => r[0] }, { label: 'Count', num: true, value: r => num(r[1]) }], rules)
            : h('p', { class: 'muted' }, 'None.')),
        h('div', {}, h('h3', {}, 'Completeness of optional fields'),
          table([{ label: 'Event type · field', value: r => r[0] }, { label: 'Present', num: true, value: r => pct(r[1]) }],
            Object.entries(q.completeness || {}).flatMap(([type, c]) => Object.entries(c.present_fraction || {}).map(([f, v]) => [`${type} · ${f}`, v])))),
        h('div', {}, h('h3', {}, 'Outcome reporting delay'),
          h('p', {}, d.count ? `${num(d.count)} status changes · median ${num((d.p50_seconds || 0) / 86400, 1)} days · p90 ${num((d.p90_seconds || 0) / 86400, 1)} days` : 'No status changes yet.')));
    }),
    section(calibration, async () => {
      const c = await get('/analytics/calibration');
      const buckets = (c.buckets || []).filter(b => b.applications > 0);
      return h('div', {},
        banner('info', c.recommendation),
        buckets.length ? h('div', { class: 'grid' },
          lineChart([
            { name: 'interview rate by resume score', points: buckets.map(b => [b.mean_resume_score, b.interview_rate]) },
            { name: 'score / 100', points: [[0, 0], [100, 1]], dashed: true, color: '#98a2b3' }],
          { xMin: 0, xMax: 100, yMin: 0, xLabel: 'resume score', height: 220, width: 460 }),
          table([
            { label: 'Score', value: b => `${b.resume_score_from}–${b.resume_score_to}` },
            { label: 'Applications', num: true, value: b => num(b.applications) },
            { label: 'Interview rate', num: true, value: b => pct(b.interview_rate) },
            { label: '95 % CI', value: b => interval(b.ci) },
          ], buckets)) : null,
        c.auc !== undefined ? h('p', { class: 'muted' }, `AUC ${num(c.auc)} · ECE of score/100 ${num(c.calibration_error)} · monotonic ${c.monotonic}`) : null);
    }),
    section(timing, async () => {
      const t = await get('/analytics/timing');
      const bars = rows => barChart(rows.map(r => ({ label: r.weekday ? r.weekday.slice(0, 3) : String(r.hour).padStart(2, '0') + 'h',
        value: r.response_rate, low: r.ci && r.ci[0], high: r.ci && r.ci[1], faded: !r.reliable })), { format: pct, labelWidth: 50, width: 420 });
      return h('div', {},
        t.caveat ? banner('warn', t.caveat) : null,
        h('p', { class: 'muted' }, `${num(t.applications)} applications, ${num(t.responses)} responses; faded bars: fewer than ${t.min_sample} applications.`),
        h('div', { class: 'grid' }, h('div', {}, h('h3', {}, 'Response rate by weekday'), bars(t.by_weekday || [])),
          h('div', {}, h('h3', {}, 'Response rate by hour (UTC)'), bars(t.by_hour || []))));
    }),
  ]);
}
