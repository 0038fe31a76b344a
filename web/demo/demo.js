// The tgwasm demo: connect, log in, and run the change-phone and
// verify-phone flows against the local DC or Telegram. No framework; it
// runs under Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.
// This module connects and starts the page; the panels, the account, the
// flows and the inbox are their own modules.
import { createClient, preload, VERSION } from '../tgwasm/tgwasm.js';
import { loginStep, onLogin, refreshAccount, showAccount } from './account.js';
import { setupFlow } from './flows.js';
import { pollInbox } from './inbox.js';
import { $, busy, demo, showError, state } from './page.js';
import { logger, onReady, refilterLog, setState, showProgress } from './panels.js';

const API_LOCAL = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb' }; // any valid-looking pair works locally

function serverOptions() {
  const kind = $('#server').value;
  if (kind === 'local') {
    if (!state.localConfig) throw new TypeError('this page is not served with a local DC (run go run ./cmd/devserver)');
    return { ...API_LOCAL, server: state.localConfig };
  }
  const apiId = Number($('#api-id').value.trim());
  return { apiId: Number.isFinite(apiId) && $('#api-id').value.trim() ? apiId : undefined, apiHash: $('#api-hash').value.trim() || undefined, server: kind, dcId: Number($('#dc-id').value) };
}

async function connect() {
  await disconnect();
  $('#connect-error').hidden = true;
  const opts = {
    ...serverOptions(),
    session: $('#session').value.trim(),
    storage: $('#keep').checked ? 'localStorage' : 'memory',
    worker: { worker: true, shared: 'shared', thread: false }[$('#mode').value],
    // Sleep through waits of a few seconds, show longer ones.
    floodSleepThreshold: 5,
    onProgress: showProgress,
    logger,
  };
  demo.timings = { start: performance.now() };
  setState('connecting');
  try {
    state.client = await createClient(opts);
  } catch (err) {
    setState('closed');
    showError($('#connect-error'), err);
    return;
  }
  const client = state.client;
  demo.client = client;
  demo.timings.created = performance.now() - demo.timings.start;
  client.on('state', (s) => { if (s !== demo.states.at(-1)) setState(s); });
  $('#disconnect').disabled = false;
  const where = { worker: 'Worker', shared: 'SharedWorker', thread: 'main thread' }[client.mode];
  $('#foot-info').textContent = `tgwasm ${VERSION} · ${where} · wasm loaded in ${Math.round(demo.timings.created)} ms · `;
  showTabs();
}

// In shared mode: how many tabs share this connection (the client's
// diagnostics, polled), and how many connections the local DC sees.
let tabsTimer;
function showTabs() {
  clearTimeout(tabsTimer);
  const el = $('#tabs');
  if (!state.client || state.client.mode !== 'shared') {
    el.hidden = true;
    return;
  }
  const c = state.client;
  const poll = async () => {
    if (c !== state.client) return;
    try {
      const { tabs } = await c._stats();
      let dc = '';
      if (state.localConfig && $('#server').value === 'local') {
        const { connections } = await (await fetch('testdc/stats', { cache: 'no-store' })).json();
        dc = ` · the local DC sees ${connections} connection${connections === 1 ? '' : 's'}`;
      }
      el.textContent = `shared by ${tabs} tab${tabs === 1 ? '' : 's'}${dc}`;
      el.dataset.tabs = String(tabs);
      el.hidden = false;
    } catch { /* closing */ }
    tabsTimer = setTimeout(poll, 1000);
  };
  poll();
}

async function disconnect() {
  if (!state.client) return;
  const c = state.client;
  state.client = null;
  demo.client = null;
  $('#disconnect').disabled = true;
  showTabs();
  await c.close();
  showAccount(null);
}

// The local DC's control API (internal/testdc): silence every open
// connection, or drop the next request's socket.
async function breakLink(fault) {
  const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = $('#fault-result');
  if (fault === 'blackhole') {
    const { silenced } = await (await post('testdc/blackhole', {})).json();
    out.textContent = `${silenced} connection${silenced === 1 ? '' : 's'} silenced: nothing passes, not even a close. A call now is moved to a new connection within seconds; an idle client notices within 25 s. The client log says why.`;
  } else {
    await post('testdc/faults', { dropAfter: 1 });
    out.textContent = 'The next request loses its socket: an idempotent call is sent again on a new connection.';
  }
  out.hidden = false;
}

async function main() {
  onReady(refreshAccount);
  for (const card of document.querySelectorAll('.flow')) setupFlow(card);
  $('#connect-form').addEventListener('submit', (ev) => { ev.preventDefault(); busy($('#connect'), connect); });
  $('#disconnect').addEventListener('click', () => busy($('#disconnect'), async () => { await disconnect(); }));
  $('#server').addEventListener('change', () => {
    const local = $('#server').value === 'local';
    $('#credentials').hidden = local;
    $('#local-help').hidden = !local || !state.localConfig;
  });
  for (const button of document.querySelectorAll('[data-fault]')) {
    button.addEventListener('click', () => busy(button, () => breakLink(button.dataset.fault)));
  }
  $('#log-level').addEventListener('change', refilterLog);
  $('#log-clear').addEventListener('click', () => { demo.log.length = 0; $('#log').replaceChildren(); });
  $('#login').addEventListener('submit', onLogin);
  $('#login-restart').addEventListener('click', () => loginStep('phone'));
  $('#logout').addEventListener('click', () => busy($('#logout'), async () => {
    try {
      await state.client.logOut();
      loginStep('phone');
      showAccount(null);
    } catch (err) { showError($('#login-error'), err); }
  }));
  $('#copy-session').addEventListener('click', async () => {
    const s = await state.client.exportSession();
    const out = $('#copy-result');
    try {
      await navigator.clipboard.writeText(s);
      out.textContent = `Copied (${s.length} characters). Keep it secret: it is your login.`;
    } catch {
      out.textContent = s;
    }
    out.hidden = false;
  });

  try {
    const res = await fetch('testdc/config', { cache: 'no-store' });
    if (res.ok) state.localConfig = await res.json();
  } catch { /* not served by the dev server */ }
  if (!state.localConfig) {
    // No client until the user gives credentials: compile the wasm
    // meanwhile (createClient picks up the work).
    preload({ onProgress: showProgress });
    $('#server').value = 'production';
    $('#server').dispatchEvent(new Event('change'));
    $('#server option[value="local"]').disabled = true;
    setState('idle');
    return;
  }
  // ?worker=0 runs the wasm on the main thread, ?worker=shared in a
  // SharedWorker; ?server=test|production
  // picks Telegram (and waits for credentials).
  const params = new URLSearchParams(location.search);
  if (params.get('worker') === '0') $('#mode').value = 'thread';
  if (params.get('worker') === 'shared') $('#mode').value = 'shared';
  if (['test', 'production'].includes(params.get('server'))) {
    preload({ onProgress: showProgress });
    $('#server').value = params.get('server');
    $('#server').dispatchEvent(new Event('change'));
    setState('idle');
    return;
  }
  $('#server').dispatchEvent(new Event('change'));
  setInterval(pollInbox, 1500);
  pollInbox();
  await busy($('#connect'), connect);
}

main();
