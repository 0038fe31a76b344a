// Recovery figures (scripts/bench.sh): how long the client takes to get
// over a link that died silently (the DC's blackhole: nothing passes at
// any layer, not even a closing handshake, as with a dead NAT), a network
// that went away, and a page that was frozen, in headless Chromium
// against the local DC, both modes. The tests (browser/network.e2e.mjs) check
// that it recovers; this measures how fast, against the targets.
import { dcControl, startServer } from '../helpers/server.mjs';
import { blankPage, launchBareBrowser, launchBrowser } from '../helpers/chromium.mjs';
import { log, median, writeResults } from '../helpers/figures.mjs';

const RUNS = Number(process.env.BENCH_RECOVERY_RUNS || 3);
const sec = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

// The same numbers ask for codes run after run: no flood limit, or the
// DC's FLOOD_WAIT (slept through) would be measured instead.
const server = await startServer(['-flood-limit', '100000000']);

async function clientPage(browser, mode) {
  const page = await blankPage(browser, server.url);
  await page.evaluate(async (mode) => {
    const tg = await import('/tgwasm.js');
    const config = await (await fetch('/testdc/config')).json();
    globalThis.__states = [];
    const client = await tg.createClient({ apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb', server: config, worker: mode === 'worker' });
    client.on('state', (s) => globalThis.__states.push([s, performance.now()]));
    await client.getMe();
    globalThis.__client = client;
  }, mode);
  return page;
}

const MODES = ['worker', 'thread'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Milliseconds from since until the page's client leaves 'ready' (noticed)
// and until it is ready again after going through 'reconnecting'.
const recovery = (page, since) => page.evaluate((since) => new Promise((resolve) => {
  const check = () => {
    const s = globalThis.__states.filter(([, t]) => t >= since);
    const i = s.findIndex(([n]) => n === 'reconnecting');
    const j = s.findIndex(([n], k) => k > i && n === 'ready');
    if (i >= 0 && j > i) resolve({ noticed: s[i][1] - since, ready: s[j][1] - since }); else setTimeout(check, 20);
  };
  check();
}), since);

// A call's time to its answer, made now in the page.
const timedCall = (page, phone) => page.evaluate(async (phone) => {
  const t0 = performance.now();
  await globalThis.__client.sendChangePhoneCode({ phoneNumber: phone }, { timeout: 120000 });
  return performance.now() - t0;
}, phone);

// Each scenario runs a Worker-mode and a thread-mode client side by side
// (the blackhole silences both at once) and resolves with
// { worker: ms, thread: ms }.
const both = async (browser, fn) => {
  const pages = await Promise.all(MODES.map((mode) => clientPage(browser, mode)));
  try {
    return await fn(pages);
  } finally {
    await Promise.all(pages.map((p) => p.close()));
  }
};
const byMode = (values) => Object.fromEntries(MODES.map((m, i) => [m, values[i]]));
const callAfter = (delay, phone) => (browser) => both(browser, async (pages) => {
  await dcControl(server, 'blackhole');
  await sleep(delay);
  return byMode(await Promise.all(pages.map((page, i) => timedCall(page, `${phone}${i}1`))));
});

const scenarios = {
  silentCall: callAfter(0, '+155509090'),
  callAfter20: callAfter(20000, '+155509092'),
  callAfter40: callAfter(40000, '+155509094'),
  idleNoticed: (browser) => both(browser, async (pages) => {
    const since = await Promise.all(pages.map((page) => page.evaluate(() => performance.now())));
    await dcControl(server, 'blackhole');
    return byMode(await Promise.all(pages.map(async (page, i) => (await recovery(page, since[i])).noticed)));
  }),
  // Three silences in a row on one client, a call made on each: the
  // slowest of the three.
  threeSilences: (browser) => both(browser, async (pages) => {
    const worst = [0, 0];
    for (let n = 0; n < 3; n++) {
      await dcControl(server, 'blackhole');
      const ms = await Promise.all(pages.map((page, i) => timedCall(page, `+15550909${6 + n}${i}1`)));
      ms.forEach((v, i) => { worst[i] = Math.max(worst[i], v); });
    }
    return byMode(worst);
  }),
  offlineOnline: (browser) => both(browser, async (pages) => {
    await pages[0].context().setOffline(true);
    for (const page of pages) await page.waitForFunction(() => navigator.onLine === false);
    await dcControl(server, 'blackhole');
    await Promise.all(pages.map((page, i) => page.evaluate((phone) => {
      globalThis.__pending = globalThis.__client.sendChangePhoneCode({ phoneNumber: phone }, { timeout: 120000 })
        .then(() => performance.now());
      addEventListener('online', () => { globalThis.__online = performance.now(); }, { once: true });
    }, `+155509091${i}1`)));
    for (const page of pages) await page.waitForFunction(() => globalThis.__states.at(-1)[0] === 'reconnecting', null, { timeout: 0 });
    await pages[0].context().setOffline(false);
    // From the online event to the answer.
    return byMode(await Promise.all(pages.map((page) => page.evaluate(async () => (await globalThis.__pending) - globalThis.__online))));
  }),
  async resumed() {
    // Its own browser: Playwright's keeps pages visible, so they never freeze.
    const bare = await launchBareBrowser();
    try {
      return await both(bare, async (pages) => {
        const cdps = await Promise.all(pages.map((page) => page.context().newCDPSession(page)));
        for (const cdp of cdps) await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
        await dcControl(server, 'blackhole');
        const since = await Promise.all(pages.map((page) => page.evaluate(() => performance.now())));
        for (const cdp of cdps) await cdp.send('Page.setWebLifecycleState', { state: 'active' });
        return byMode(await Promise.all(pages.map(async (page, i) => (await recovery(page, since[i])).ready)));
      });
    } finally {
      await bare.close();
    }
  },
};

const browser = await launchBrowser();
const results = {};
try {
  for (const [name, run] of Object.entries(scenarios)) {
    log(`recovery: ${name} (both modes at once, ${RUNS} runs)…`);
    for (const mode of MODES) results[`${name}_${mode}`] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(browser);
      for (const mode of MODES) results[`${name}_${mode}`].push(r[mode]);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

const rows = [
  ['a call made on a link gone silent → its answer, on a new connection', 'silentCall', 10000],
  ['a call made 20 s into an idle silence → its answer', 'callAfter20', 10000],
  ['a call made 40 s into an idle silence → its answer', 'callAfter40', 10000],
  ['an idle link gone silent → noticed (state leaves ready)', 'idleNoticed', 30000],
  ['three silences in a row on one client, a call on each → the slowest answer', 'threeSilences', 10000],
  ['offline → online: a call waiting for the network → its answer', 'offlineOnline', 5000],
  ['a frozen page resumes with a dead link → ready on a new connection', 'resumed', 10000],
].map(([what, key, target]) => {
  const cell = (mode) => `${sec(median(results[`${key}_${mode}`]))} median (max ${sec(Math.max(...results[`${key}_${mode}`]))})`;
  const worst = Math.max(...results[`${key}_worker`], ...results[`${key}_thread`]);
  return `| ${what} | ${cell('worker')} | ${cell('thread')} | ≤ ${sec(target)} | ${worst <= target ? 'met' : '**missed**'} |`;
});
const table = ['| recovery (headless Chromium, local DC, total blackhole) | Worker | thread | target |  |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
console.log(`\n${table}\n(median of ${RUNS} runs per mode)`);
writeResults('recovery', { results }, table);
process.exit(rows.some((r) => r.includes('**missed**')) ? 1 : 0);
