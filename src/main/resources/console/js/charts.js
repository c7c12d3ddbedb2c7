// Plain SVG charts (no library): line charts over numbers or times, and horizontal bars with intervals.
const NS = 'http://www.w3.org/2000/svg';
export const COLORS = ['#1849a9', '#dc6803', '#079455', '#c11574', '#6938ef', '#667085', '#0e9384', '#b42318'];

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function ticks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const step = (hi - lo) / n;
  return Array.from({ length: n + 1 }, (_, i) => lo + i * step);
}

const short = v => (Math.abs(v) >= 1000 ? (v / 1000).toFixed(1) + 'k' : Math.abs(v) >= 10 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

/**
 * series: [{name, points: [[x, y], …], dashed?}] — x numbers (or Date, drawn as times). Options: width, height,
 * xLabel, yLabel, yMin, yMax, xMin, xMax, integerX (label only the x values present: versions, rounds). Returns a <div> with the SVG and a legend.
 */
export function lineChart(series, o = {}) {
  const W = o.width || 520, H = o.height || 240, L = 48, R = 28, T = 10, B = 34;
  const all = series.flatMap(x => x.points).filter(p => p[1] !== null && p[1] !== undefined && !Number.isNaN(p[1]));
  const times = all.some(p => p[0] instanceof Date);
  const xs = all.map(p => +p[0]), ys = all.map(p => p[1]);
  let x0 = o.xMin ?? Math.min(...xs), x1 = o.xMax ?? Math.max(...xs);
  let y0 = o.yMin ?? Math.min(...ys), y1 = o.yMax ?? Math.max(...ys);
  if (!all.length) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
  if (x1 === x0) { x1 = x0 + 1; }
  if (y1 === y0) { y1 = y0 + (y0 === 0 ? 1 : Math.abs(y0) * 0.1); }
  const X = x => L + ((+x - x0) / (x1 - x0)) * (W - L - R);
  const Y = y => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  const svg = s('svg', { class: 'chart', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img' });
  for (const t of ticks(y0, y1)) {
    svg.append(s('line', { class: 'grid', x1: L, x2: W - R, y1: Y(t), y2: Y(t) }));
    svg.append(s('text', { x: L - 4, y: Y(t) + 3, 'text-anchor': 'end' }, short(t)));
  }
  const xTicks = o.integerX ? [...new Set(xs)].sort((a, b) => a - b).filter((_, i, a) => a.length <= 12 || i % Math.ceil(a.length / 12) === 0)
    : ticks(x0, x1, 4);
  for (const t of xTicks) {
    const label = times ? new Date(t).toISOString().slice(11, 19) : short(t);
    svg.append(s('text', { x: X(t), y: H - B + 14, 'text-anchor': 'middle' }, label));
  }
  svg.append(s('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  svg.append(s('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  if (o.xLabel) svg.append(s('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', fill: '#667085' }, o.xLabel));
  if (o.yLabel) svg.append(s('text', { x: 10, y: T + 8, fill: '#667085' }, o.yLabel));
  if (!all.length) svg.append(s('text', { x: (L + W - R) / 2, y: (T + H - B) / 2, 'text-anchor': 'middle', fill: '#667085' }, 'no values yet'));
  series.forEach((ser, i) => {
    const color = ser.color || COLORS[i % COLORS.length];
    const pts = ser.points.filter(p => p[1] !== null && p[1] !== undefined && !Number.isNaN(p[1]));
    if (pts.length > 1) {
      svg.append(s('polyline', { fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': ser.dashed ? '4 3' : '',
        points: pts.map(p => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ') }));
    }
    for (const p of pts) {
      const dot = s('circle', { cx: X(p[0]), cy: Y(p[1]), r: ser.dashed ? 0 : 3, fill: color });
      dot.append(s('title', {}, `${ser.name}: ${short(p[1])}`));
      svg.append(dot);
    }
  });
  const legend = document.createElement('div');
  legend.className = 'legend';
  series.forEach((ser, i) => {
    const span = document.createElement('span');
    const sw = document.createElement('i');
    sw.style.background = ser.color || COLORS[i % COLORS.length];
    span.append(sw, ser.name);
    legend.append(span);
  });
  const wrap = document.createElement('div');
  wrap.append(svg, legend);
  return wrap;
}

/** items: [{label, value, low?, high?}] as horizontal bars from min(0, …) with optional interval whiskers. */
export function barChart(items, o = {}) {
  const W = o.width || 520, row = 20, L = o.labelWidth || 120, R = 60, T = 6;
  const H = T * 2 + row * Math.max(items.length, 1);
  const vals = items.flatMap(i => [i.value, i.low, i.high]).filter(v => typeof v === 'number');
  const lo = Math.min(0, ...vals), hi = Math.max(o.max ?? 0, ...vals, 1e-9);
  const X = v => L + ((v - lo) / (hi - lo)) * (W - L - R);
  const svg = s('svg', { class: 'chart', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img' });
  items.forEach((it, i) => {
    const y = T + i * row;
    svg.append(s('text', { x: L - 6, y: y + 14, 'text-anchor': 'end' }, it.label));
    if (typeof it.value === 'number') {
      svg.append(s('rect', { x: Math.min(X(0), X(it.value)), y: y + 4, width: Math.abs(X(it.value) - X(0)), height: row - 8,
        fill: it.color || COLORS[0], opacity: it.faded ? 0.35 : 0.85 }));
      svg.append(s('text', { x: Math.max(X(it.value), X(it.high ?? it.value)) + 4, y: y + 14 }, o.format ? o.format(it.value) : short(it.value)));
    } else {
      svg.append(s('text', { x: X(0) + 4, y: y + 14, fill: '#667085' }, it.note || 'too few'));
    }
    if (typeof it.low === 'number' && typeof it.high === 'number') {
      svg.append(s('line', { x1: X(it.low), x2: X(it.high), y1: y + row / 2, y2: y + row / 2, stroke: '#101828', 'stroke-width': 1.2 }));
    }
  });
  svg.append(s('line', { class: 'axis', x1: X(0), x2: X(0), y1: 0, y2: H }));
  return svg;
}
