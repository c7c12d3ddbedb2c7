// The console's shell: login with a pasted token, the navigation the token's role may use, and a page module per
// route (#/overview, #/experiments, …). A page module exports render(root, ctx) and may return a cleanup function
// (closing its stream, stopping its timers) that runs when the operator leaves the page.
import { claims, get, setToken, token } from './api.js';
import { banner, clear, errorBanner, h } from './ui.js';

/** Pages in navigation order, with the roles whose tokens can use them (the API enforces the same). */
const PAGES = [
  { id: 'overview', title: 'Overview', roles: ['admin', 'service'] },
  { id: 'experiments', title: 'Experiments', roles: ['admin'] },
  { id: 'models', title: 'Models', roles: ['admin', 'service'] },
  { id: 'configs', title: 'Configs & recommendations', roles: ['admin', 'service'] },
  { id: 'analytics', title: 'Analytics', roles: ['admin', 'service'] },
  { id: 'user', title: 'User', roles: ['admin', 'service', 'user'] },
];

const main = document.getElementById('main');
let cleanup = null;

function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { page: path || '', params: new URLSearchParams(query || '') };
}

export function go(page, params = {}) {
  const q = new URLSearchParams(params).toString();
  location.hash = '#/' + page + (q ? '?' + q : '');
}

function loginView(problem) {
  const area = h('textarea', { id: 'token', placeholder: 'eyJhbGciOiJIUzI1NiIs…', spellcheck: 'false' });
  const out = h('div', {}, problem ? banner('bad', problem) : null);
  const submit = async () => {
    const t = area.value.trim();
    const c = claims(t);
    if (!c) {
      clear(out, banner('bad', 'That is not a readable JWT: paste the whole token (three parts separated by dots).'));
      return;
    }
    if (c.exp && c.exp * 1000 < Date.now()) {
      clear(out, banner('bad', `This token expired at ${new Date(c.exp * 1000).toISOString()}; make a new one.`));
      return;
    }
    setToken(t);
    try {
      await get('/configs/job_discovery'); // any valid token may read it: proves the node accepts the token
    } catch (err) {
      setToken(null);
      clear(out, errorBanner(err));
      return;
    }
    go(c.role === 'user' ? 'user' : 'overview');
    render();
  };
  return h('section', { class: 'card', id: 'login' },
    h('h1', {}, 'Log in'),
    h('p', {}, 'Paste a token (JWT). ', h('code', {}, 'bin/hireloop demo'), ' prints an admin token; ',
      h('code', {}, 'bin/hireloop token --sub ops --role admin'), ' makes one for the configured secret. ',
      'A user token (', h('code', {}, '--role user --sub u-42'), ') sees only that user’s page.'),
    area,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'login-button', onclick: submit }, 'Log in')),
    out);
}

function renderNav(c, current) {
  const nav = document.getElementById('nav');
  clear(nav, c ? PAGES.filter(p => p.roles.includes(c.role)).map(p =>
    h('a', { href: '#/' + p.id, class: p.id === current ? 'active' : null, id: 'nav-' + p.id },
      c.role === 'user' && p.id === 'user' ? 'My page' : p.title)) : []);
  document.getElementById('who').textContent = c ? `${c.sub} (${c.role})` : '';
  document.getElementById('logout').hidden = !c;
}

async function render() {
  if (cleanup) {
    try { cleanup(); } catch (e) { /* a page's cleanup must not block the next page */ }
    cleanup = null;
  }
  const c = token() ? claims() : null;
  const { page, params } = route();
  if (!c) {
    renderNav(null);
    clear(main, loginView());
    return;
  }
  if (c.exp && c.exp * 1000 < Date.now()) {
    setToken(null);
    renderNav(null);
    clear(main, loginView('Your token expired; paste a new one.'));
    return;
  }
  const allowed = PAGES.filter(p => p.roles.includes(c.role));
  const target = allowed.find(p => p.id === page);
  if (!target) {
    go(allowed[0].id);
    return;
  }
  renderNav(c, target.id);
  const root = h('div', { id: 'page-' + target.id });
  clear(main, root);
  try {
    const module = await import(`./pages/${target.id}.js`);
    const result = await module.render(root, { claims: c, params, go });
    if (typeof result === 'function') cleanup = result;
  } catch (err) {
    clear(root, errorBanner(err));
  }
}

document.getElementById('logout').addEventListener('click', () => {
  setToken(null);
  location.hash = '';
  render();
});
window.addEventListener('hashchange', render);
render();
