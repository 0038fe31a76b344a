// The demo's panels that follow the client: the connection's state, the
// wasm's download, and the client's log.

import { $, demo } from './page.js';

let whenReady = () => {};

/** What to do each time the client is ready (the account panel refreshes). */
export function onReady(fn) { whenReady = fn; }

const STATE_TEXT = {
  idle: 'not connected',
  connecting: 'connecting…',
  handshake: 'handshake…',
  ready: 'ready',
  reconnecting: 'reconnecting…',
  closed: 'closed',
};

export function setState(s) {
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
  if (s === 'ready') whenReady();
}

// The wasm's download, shown as it arrives: on a phone's network it is
// most of the first visit. A share of the whole, not bytes: onProgress
// counts the module's bytes (7.2 MB) while about 1.4 MB travel, brotli
// compressed; what travelled is said at the end, from Resource Timing.
export function showProgress({ loaded, total }) {
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

export function logger(level, message) {
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

export function refilterLog() {
  for (const li of $('#log').children) if (LEVELS.includes(li.className)) li.hidden = !shownLevel(li.className);
}
