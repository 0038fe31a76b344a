// The tgwasm demo: connect, log in, and run the change-phone and
// verify-phone flows against the local DC or Telegram. No framework; it
// runs under Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.
import { createClient, preload, RPCError, ConnectionError, VERSION } from './tgwasm.js';
import { NEXT_NAMES, describeError, describeSentCode, fmtDuration, rawJSON } from './demo-format.js';

const $ = (sel, root = document) => root.querySelector(sel);
const API_LOCAL = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb' }; // any valid-looking pair works locally

let client = null;
let localConfig = null;
const demo = { states: [], client: null, timings: {}, progress: [], log: [] };
globalThis.__tgwasmDemo = demo; // for the end-to-end tests and curious people

// ------------------------------------------------------------ helpers

async function busy(button, fn) {
  button.disabled = true;
  button.classList.add('busy');
  try { return await fn(); } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

function showError(el, err) {
  const d = describeError(err);
  el.textContent = `${d.text}. (${d.raw})`;
  el.hidden = false;
}

function b64ToBytes(s) {
  const bin = atob(s.trim().replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

// ------------------------------------------------------------ status

const STATE_TEXT = {
  idle: 'not connected',
  connecting: 'connecting…',
  handshake: 'handshake…',
  ready: 'ready',
  reconnecting: 'reconnecting…',
  closed: 'closed',
};

function setState(s) {
  demo.states.push(s);
  const el = $('#status');
  el.dataset.state = s;
  $('#state-text').textContent = STATE_TEXT[s] || s;
  if (s === 'ready' && demo.timings.start && !demo.timings.ready) {
    demo.timings.ready = performance.now() - demo.timings.start;
    $('#state-meta').textContent = `in ${Math.round(demo.timings.ready)} ms`;
  } else if (s !== 'ready') {
    $('#state-meta').textContent = '';
  }
  if (s === 'ready') refreshAccount();
}

// ------------------------------------------------------------ loading

// The wasm's download, shown as it arrives: on a phone's network it is
// most of the first visit. A share of the whole, not bytes: onProgress
// counts the module's bytes (8.9 MB) while about 1.6 MB travel, brotli
// compressed; what travelled is said at the end, from Resource Timing.
function showProgress({ loaded, total }) {
  const box = $('#loading');
  const done = total !== null && loaded === total;
  demo.progress.push({ loaded, total });
  box.hidden = false;
  const bar = $('#load-bar');
  if (total) {
    bar.max = total;
    bar.value = loaded;
  } else {
    bar.removeAttribute('value'); // indeterminate
  }
  if (done) {
    const entry = performance.getEntriesByType('resource').findLast((e) => e.name.endsWith('.wasm'));
    const wire = entry && entry.transferSize > 0 ? `, ${(entry.transferSize / 1e6).toFixed(1)} MB downloaded` : '';
    $('#load-text').textContent = `tgwasm loaded${wire}; starting…`;
    setTimeout(() => { box.hidden = true; }, 1500);
  } else {
    $('#load-text').textContent = total ? `downloading tgwasm: ${Math.floor((100 * loaded) / total)} %` : 'downloading tgwasm…';
  }
}

// ------------------------------------------------------------ the client's log

// createClient's logger: what the client does and why, shown in the log
// panel (the last 300 lines) at the level picked there.
const LEVELS = ['error', 'warn', 'info', 'debug'];
const MAX_LOG = 300;

function shownLevel(level) {
  return LEVELS.indexOf(level) <= LEVELS.indexOf($('#log-level').value);
}

function logLine({ time, level, message }) {
  const li = document.createElement('li');
  li.className = level;
  li.hidden = !shownLevel(level);
  const t = new Date(time);
  const stamp = `${t.toTimeString().slice(0, 8)}.${String(t.getMilliseconds()).padStart(3, '0')}`;
  for (const [cls, text] of [['time', stamp], ['lvl', level], ['msg', message]]) {
    li.append(Object.assign(document.createElement('span'), { className: cls, textContent: text }));
  }
  return li;
}

function logger(level, message) {
  const entry = { time: Date.now(), level, message };
  demo.log.push(entry);
  if (demo.log.length > MAX_LOG) demo.log.shift();
  const list = $('#log');
  const follow = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  if (list.firstElementChild && list.firstElementChild.classList.contains('muted')) list.replaceChildren();
  list.append(logLine(entry));
  while (list.children.length > MAX_LOG) list.firstElementChild.remove();
  if (follow) list.scrollTop = list.scrollHeight;
}

function refilterLog() {
  for (const li of $('#log').children) if (LEVELS.includes(li.className)) li.hidden = !shownLevel(li.className);
}

// ------------------------------------------------------------ connection

function serverOptions() {
  const kind = $('#server').value;
  if (kind === 'local') {
    if (!localConfig) throw new TypeError('this page is not served with a local DC (run go run ./cmd/devserver)');
    return { ...API_LOCAL, server: localConfig };
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
    client = await createClient(opts);
  } catch (err) {
    setState('closed');
    showError($('#connect-error'), err);
    return;
  }
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
  if (!client || client.mode !== 'shared') {
    el.hidden = true;
    return;
  }
  const c = client;
  const poll = async () => {
    if (c !== client) return;
    try {
      const { tabs } = await c._stats();
      let dc = '';
      if (localConfig && $('#server').value === 'local') {
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
  if (!client) return;
  const c = client;
  client = null;
  demo.client = null;
  $('#disconnect').disabled = true;
  showTabs();
  await c.close();
  showAccount(null);
}

// ------------------------------------------------------------ account

let loginState = {};

function showAccount(me) {
  $('#account-idle').hidden = Boolean(client);
  $('#me').hidden = !me;
  $('#login').hidden = !client || Boolean(me);
  if (me) {
    const name = [me.firstName, me.lastName].filter(Boolean).join(' ') || me.username || 'Telegram user';
    $('#me-name').textContent = name;
    $('#me-avatar').textContent = name[0].toUpperCase();
    $('#me-sub').textContent = [me.phone ? `+${me.phone}` : null, me.username ? `@${me.username}` : null, `id ${me.id}`].filter(Boolean).join(' · ');
  }
}

async function refreshAccount() {
  if (!client) return;
  try {
    showAccount(await client.getMe());
  } catch (err) {
    if (err instanceof RPCError && err.code === 401) {
      loginStep('phone');
      showAccount(null);
    } else {
      showAccount(null);
      showError($('#login-error'), err);
    }
  }
}

function loginStep(step) {
  $('#login-phone-step').hidden = step !== 'phone';
  $('#login-code-step').hidden = step !== 'code';
  $('#login-password-step').hidden = step !== 'password';
  $('#login-error').hidden = true;
  loginState.step = step;
  const focus = { phone: '#login-phone', code: '#login-code', password: '#login-password' }[step];
  queueMicrotask(() => $(focus).focus());
}

async function onLogin(ev) {
  ev.preventDefault();
  $('#login-error').hidden = true;
  try {
    if (loginState.step === 'phone') {
      await busy($('#login-send'), async () => {
        const phoneNumber = $('#login-phone').value;
        const sent = await client.sendCode({ phoneNumber });
        if (sent.className === 'auth.SentCodeSuccess') { await refreshAccount(); return; }
        loginState.phoneNumber = phoneNumber;
        loginState.hash = sent.phoneCodeHash;
        $('#login-sent').textContent = describeSentCode(sent);
        pollInbox();
        loginStep('code');
      });
    } else if (loginState.step === 'code') {
      await busy($('#login-signin'), async () => {
        try {
          await client.signIn({ phoneNumber: loginState.phoneNumber, phoneCodeHash: loginState.hash, phoneCode: $('#login-code').value.trim() });
          await refreshAccount();
        } catch (err) {
          if (err instanceof RPCError && err.errorMessage === 'SESSION_PASSWORD_NEEDED') { loginStep('password'); return; }
          throw err;
        }
      });
    } else if (loginState.step === 'password') {
      await busy($('#login-check'), async () => {
        await client.checkPassword({ password: $('#login-password').value });
        $('#login-password').value = '';
        await refreshAccount();
      });
    }
  } catch (err) {
    showError($('#login-error'), err);
  }
}

// ------------------------------------------------------------ flows

function setupFlow(card) {
  card.append($('#flow-template').content.cloneNode(true));
  const sendForm = $('form.send', card);
  const result = $('.result', card);
  const failure = $('.failure', card);
  const raw = $('details.raw', card);
  const countdown = $('.countdown', card);
  const resend = $('.resend', card);
  const cancel = $('.cancel', card);
  const complete = $('form.complete', card);
  const done = $('.done', card);
  let current = null; // { phoneNumber, sent }
  let timer = null;

  const stopTimer = () => { if (timer) clearInterval(timer); timer = null; };

  function fail(err) {
    const d = describeError(err);
    failure.hidden = false;
    $('.error-text', failure).textContent = d.text;
    $('.error-raw', failure).textContent = d.raw;
  }

  function show(sent, phoneNumber) {
    stopTimer();
    current = { phoneNumber, sent };
    failure.hidden = true;
    result.hidden = false;
    done.hidden = true;
    raw.hidden = false;
    $('pre', raw).textContent = rawJSON(sent);
    const isCode = sent.className === 'auth.SentCode';
    $('.readable', result).textContent = describeSentCode(sent);
    complete.hidden = !isCode;
    cancel.hidden = !isCode;
    resend.hidden = true;
    countdown.hidden = true;
    if (!isCode) return;
    const next = sent.nextType ? NEXT_NAMES[sent.nextType.className] || sent.nextType.className : null;
    if (sent.timeout !== undefined) {
      const until = Date.now() + sent.timeout * 1000;
      const tick = () => {
        const left = Math.ceil((until - Date.now()) / 1000);
        countdown.hidden = false;
        if (left > 0) {
          countdown.textContent = next ? `Next: ${next}, in ${fmtDuration(left)}` : `The code is valid for ${fmtDuration(left)}`;
          return;
        }
        stopTimer();
        countdown.textContent = next ? `Next: ${next}, available now` : 'The code has expired';
        resend.hidden = !next;
      };
      tick();
      timer = setInterval(tick, 1000);
    } else if (next) {
      countdown.hidden = false;
      countdown.textContent = `Next: ${next}`;
      resend.hidden = false;
    }
    queueMicrotask(() => $('.code', complete).focus());
  }

  sendForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!client) { fail(new ConnectionError('connect first')); return; }
    const settings = {};
    for (const box of card.querySelectorAll('[data-setting]')) if (box.checked) settings[box.dataset.setting] = true;
    const token = $('.token', card).value.trim();
    if (token) settings.token = token;
    const tokens = $('.logout-tokens', card).value.split('\n').map((s) => s.trim()).filter(Boolean);
    try {
      if (tokens.length) settings.logoutTokens = tokens.map(b64ToBytes);
    } catch {
      fail(new TypeError('logoutTokens must be base64, one per line'));
      return;
    }
    const phoneNumber = $('.phone', card).value;
    busy($('.send-button', card), async () => {
      try {
        show(await client[card.dataset.method]({ phoneNumber, settings }), phoneNumber);
        pollInbox();
      } catch (err) {
        stopTimer();
        result.hidden = true;
        raw.hidden = true;
        fail(err);
      }
    });
  });

  resend.addEventListener('click', () => busy(resend, async () => {
    try {
      show(await client.resendCode({ phoneNumber: current.phoneNumber, phoneCodeHash: current.sent.phoneCodeHash }), current.phoneNumber);
      pollInbox();
    } catch (err) { fail(err); }
  }));

  cancel.addEventListener('click', () => busy(cancel, async () => {
    try {
      await client.cancelCode({ phoneNumber: current.phoneNumber, phoneCodeHash: current.sent.phoneCodeHash });
      stopTimer();
      result.hidden = true;
      raw.hidden = true;
      current = null;
    } catch (err) { fail(err); }
  }));

  complete.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy($('.confirm', card), async () => {
      try {
        const out = await client[card.dataset.complete]({
          phoneNumber: current.phoneNumber,
          phoneCodeHash: current.sent.phoneCodeHash,
          phoneCode: $('.code', complete).value.trim(),
        });
        stopTimer();
        failure.hidden = true;
        complete.hidden = true;
        resend.hidden = true;
        cancel.hidden = true;
        countdown.hidden = true;
        done.hidden = false;
        if (card.dataset.complete === 'changePhone') {
          done.textContent = `Done: the account's number is now +${out.phone}`;
          showAccount(out);
        } else {
          done.textContent = 'Done: the number is verified for Telegram Passport';
        }
        $('pre', raw).textContent = rawJSON(out);
      } catch (err) { fail(err); }
    });
  });
}

// ------------------------------------------------------------ local DC inbox

async function pollInbox() {
  if ($('#server').value !== 'local' || !localConfig) return;
  try {
    const codes = await (await fetch('testdc/codes', { cache: 'no-store' })).json();
    const list = $('#inbox');
    list.replaceChildren(...(codes.length ? codes.slice(-8).reverse().map((c) => {
      const li = document.createElement('li');
      const code = document.createElement('span');
      code.className = 'code';
      code.textContent = c.code;
      li.append(code, ` for +${c.phone} · ${c.purpose} · ${c.delivery}`);
      return li;
    }) : [Object.assign(document.createElement('li'), { className: 'muted', textContent: 'none yet' })]));
  } catch { /* the DC is gone; try again later */ }
}

// ------------------------------------------------------------ start

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
  for (const card of document.querySelectorAll('.flow')) setupFlow(card);
  $('#connect-form').addEventListener('submit', (ev) => { ev.preventDefault(); busy($('#connect'), connect); });
  $('#disconnect').addEventListener('click', () => busy($('#disconnect'), async () => { await disconnect(); }));
  $('#server').addEventListener('change', () => {
    const local = $('#server').value === 'local';
    $('#credentials').hidden = local;
    $('#local-help').hidden = !local || !localConfig;
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
      await client.logOut();
      loginStep('phone');
      showAccount(null);
    } catch (err) { showError($('#login-error'), err); }
  }));
  $('#copy-session').addEventListener('click', async () => {
    const s = await client.exportSession();
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
    if (res.ok) localConfig = await res.json();
  } catch { /* not served by the dev server */ }
  if (!localConfig) {
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
