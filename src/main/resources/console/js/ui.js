// Small DOM helpers shared by the pages: element building, number formats, tables, banners, errors in words.
import { describe } from './api.js';

/** h('td', {class: 'num'}, '12') — attributes starting with "on" are listeners; null/false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
  return el;
}

export const card = (title, ...children) => h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);

export function num(v, digits = 3) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(digits);
}

export function pct(v, digits = 1) {
  if (v === null || v === undefined || typeof v !== 'number') return '–';
  return (v * 100).toFixed(digits) + ' %';
}

export function signedPct(v, digits = 1) {
  if (typeof v !== 'number') return '–';
  return (v >= 0 ? '+' : '') + (v * 100).toFixed(digits) + ' %';
}

export const interval = (ci, f = pct) => (Array.isArray(ci) ? `[${f(ci[0])}, ${f(ci[1])}]`
  : ci && typeof ci === 'object' ? `[${f(ci.low)}, ${f(ci.high)}]` : '–');

export const when = t => (t ? new Date(t).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '–');

export const badge = (text, kind = text) => h('span', { class: 'badge ' + kind }, text);

export const banner = (kind, ...text) => h('div', { class: 'banner ' + kind, role: kind === 'bad' ? 'alert' : 'status' }, ...text);

/** The API error in words, as a red banner (class "error" so that tests and people can find it). */
export const errorBanner = err => h('div', { class: 'banner bad error', role: 'alert' }, describe(err));

/** columns: [{label, value: row => text|Node, num?}] */
export function table(columns, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => h('td', { class: c.num ? 'num' : null }, c.value(r)))))));
}

/** Fills `el` with the result of `load()`, or the API error in words; a loading note meanwhile. */
export async function section(el, load) {
  clear(el, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const content = await load();
    clear(el, content);
  } catch (err) {
    clear(el, errorBanner(err));
  }
}

/**
 * A button that runs an API action with a reason typed beside it: shows the outcome (done text or the error in
 * words) in `out`, then calls `after`.
 */
export function reasonAction(label, { kind = '', placeholder = 'reason (required, recorded with your name)', run, done, after, id }) {
  const input = h('input', { type: 'text', placeholder, 'data-role': 'reason', id: id ? id + '-reason' : null });
  const out = h('div');
  const button = h('button', { type: 'button', class: kind, id }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const result = await run(input.value);
      clear(out, banner('ok', done(result)));
      if (after) await after(result);
    } catch (err) {
      clear(out, errorBanner(err));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', {}, h('div', { class: 'actions' }, input, button), out);
}
