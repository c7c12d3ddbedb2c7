// The console's only way to the node: the REST API under /api/v1 with the pasted token, and its WebSocket stream.
const KEY = 'hireloop.console.token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t.trim());
  else sessionStorage.removeItem(KEY);
}

/** The token's claims (sub, role, exp), read without verifying: the node verifies on every call. Null if unreadable. */
export function claims(t = token()) {
  try {
    const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(atob(part).split('').map(c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    const c = JSON.parse(json);
    return typeof c.sub === 'string' && typeof c.role === 'string' ? c : null;
  } catch (e) {
    return null;
  }
}

/** An error answer of the API: its status and the error body's code, message and details. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

const STATUS_WORDS = {
  0: 'The node could not be reached',
  400: 'The request was refused as invalid',
  401: 'The token was not accepted (log in again with a valid token)',
  403: 'Your token may not do this',
  404: 'Not found',
  409: 'Refused: it conflicts with the current state',
  413: 'Too large',
  415: 'Wrong content type',
  422: 'Refused by the ethics checks',
  429: 'Too many requests or the read side is behind; try again shortly',
  503: 'The node is not ready or did not answer in time; try again shortly',
};

/** An error in words for the operator: what happened, the API's own message, and each detail on its own line. */
export function describe(err) {
  if (!(err instanceof ApiError)) return 'Unexpected error: ' + (err && err.message ? err.message : String(err));
  const head = (STATUS_WORDS[err.status] || (err.status >= 500 ? 'The node failed to answer' : 'The request failed'))
    + (err.status ? ` (HTTP ${err.status}${err.code ? ', ' + err.code : ''})` : '');
  const lines = [head + (err.message ? ': ' + err.message : '')];
  for (const d of err.details) lines.push(`  • ${d.field ? d.field + ': ' : ''}${d.problem}`);
  return lines.join('\n');
}

export async function call(method, path, body) {
  const headers = { Authorization: 'Bearer ' + token() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'unreachable', e.message, []);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    const e = json && json.error;
    throw new ApiError(res.status, e ? e.code : '', e ? e.message : text.slice(0, 300), e ? e.details : []);
  }
  return json;
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);

/** The node's Prometheus text (GET /metrics, no token) as {name: [{labels, value}]}. */
export async function metrics() {
  const res = await fetch('/metrics');
  if (!res.ok) throw new ApiError(res.status, '', 'GET /metrics failed', []);
  const out = {};
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = {};
    if (m[3]) for (const kv of m[3].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[kv[1]] = kv[2];
    (out[m[1]] = out[m[1]] || []).push({ labels, value: Number(m[4]) });
  }
  return out;
}

/**
 * Subscribes to stream topics; reconnects after a drop (2 s, then up to 30 s). onMessage gets each data message,
 * onStatus a word for the connection ('live', 'reconnecting', or an error message of the stream).
 * Returns a function that closes it for good.
 */
export function stream(topics, onMessage, onStatus = () => {}) {
  let ws = null;
  let closed = false;
  let delay = 2000;
  const open = () => {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(`${proto}//${location.host}/api/v1/stream?access_token=${encodeURIComponent(token())}`);
    ws.onopen = () => {
      delay = 2000;
      ws.send(JSON.stringify({ subscribe: topics }));
      onStatus('live');
    };
    ws.onmessage = e => {
      let m;
      try {
        m = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      if (m.type === 'error') onStatus('stream error: ' + (m.error ? m.error.message : e.data));
      else if (m.topic) onMessage(m);
      else if (m.type === 'subscribed') {
        onStatus(m.refused ? 'live; refused: ' + m.refused.map(r => `${r.topic} (${r.problem})`).join(', ') : 'live');
      }
    };
    ws.onclose = () => {
      if (closed) return;
      onStatus('reconnecting');
      setTimeout(() => { if (!closed) open(); }, delay);
      delay = Math.min(delay * 2, 30000);
    };
  };
  open();
  return () => {
    closed = true;
    if (ws) ws.close();
  };
}
