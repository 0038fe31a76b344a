// Recovery figures (scripts/bench.sh): how long the client takes to get
// over a link that died silently, a network that went away, and a page
// that was frozen, in headless Chromium against the local DC, both modes.
// The tests (network.e2e.mjs) check that it recovers; this measures how
// fast, against the targets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankPage, launchBareBrowser, launchBrowser, log, median, root, startServer } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RECOVERY_RUNS || 3);
const sec = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

// The same numbers ask for codes run after run: no flood limit, or the
// DC's FLOOD_WAIT (slept through) would be measured instead.
const server = await startServer(['-flood-limit', '100000000']);
const post = (what, body = {}) => fetch(`${server.url}testdc/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

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

// Milliseconds from now until the page's client is ready again after
// going through 'reconnecting'.
const readyAgain = (page, since) => page.evaluate((since) => new Promise((resolve) => {
  const check = () => {
    const s = globalThis.__states.filter(([, t]) => t >= since);
    const i = s.findIndex(([n]) => n === 'reconnecting');
    const j = s.findIndex(([n], k) => k > i && n === 'ready');
    if (i >= 0 && j > i) resolve(s[j][1] - since); else setTimeout(check, 20);
  };
  check();
}), since);

const scenarios = {
  async silentCall(browser, mode) {
    const page = await clientPage(browser, mode);
    await post('blackhole');
    const ms = await page.evaluate(async () => {
      const t0 = performance.now();
      await globalThis.__client.sendChangePhoneCode({ phoneNumber: '+15550909001' }, { timeout: 60000 });
      return performance.now() - t0;
    });
    await page.close();
    return ms;
  },
  async idleSilent(browser, mode) {
    const page = await clientPage(browser, mode);
    const since = await page.evaluate(() => performance.now());
    await post('blackhole');
    const ms = await readyAgain(page, since);
    await page.close();
    return ms;
  },
  async offlineOnline(browser, mode) {
    const page = await clientPage(browser, mode);
    await page.context().setOffline(true);
    await page.waitForFunction(() => navigator.onLine === false);
    await post('blackhole');
    await page.evaluate(() => {
      globalThis.__pending = globalThis.__client.sendChangePhoneCode({ phoneNumber: '+15550909101' }, { timeout: 120000 })
        .then(() => performance.now());
      addEventListener('online', () => { globalThis.__online = performance.now(); }, { once: true });
    });
    await page.waitForFunction(() => globalThis.__states.at(-1)[0] === 'reconnecting', null, { timeout: 0 });
    await page.context().setOffline(false);
    // From the online event to the answer.
    const ms = await page.evaluate(async () => (await globalThis.__pending) - globalThis.__online);
    await page.close();
    return ms;
  },
  async resumed(browser, mode) {
    const bare = await launchBareBrowser();
    const page = await clientPage(bare, mode);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await post('blackhole');
    const since = await page.evaluate(() => performance.now());
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    const ms = await readyAgain(page, since);
    await bare.close();
    return ms;
  },
};

const browser = await launchBrowser();
const results = {};
try {
  for (const [name, run] of Object.entries(scenarios)) {
    for (const mode of ['worker', 'thread']) {
      log(`recovery: ${name} (${mode}, ${RUNS} runs)…`);
      results[`${name}_${mode}`] = [];
      for (let i = 0; i < RUNS; i++) results[`${name}_${mode}`].push(await run(browser, mode));
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

const rows = [
  ['a call made on a link gone silent → its answer, on a new connection', 'silentCall', 10000],
  ['an idle link gone silent → ready on a new connection', 'idleSilent', 30000],
  ['offline → online: a call waiting for the network → its answer', 'offlineOnline', 5000],
  ['a frozen page resumes with a dead link → ready on a new connection', 'resumed', 10000],
].map(([what, key, target]) => {
  const cell = (mode) => `${sec(median(results[`${key}_${mode}`]))} median (max ${sec(Math.max(...results[`${key}_${mode}`]))})`;
  const worst = Math.max(...results[`${key}_worker`], ...results[`${key}_thread`]);
  return `| ${what} | ${cell('worker')} | ${cell('thread')} | ≤ ${sec(target)} | ${worst <= target ? 'met' : '**missed**'} |`;
});
const table = ['| recovery (headless Chromium, local DC) | Worker | thread | target |  |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
console.log(`\n${table}\n(median of ${RUNS} runs per mode)`);
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'recovery.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
writeFileSync(join(root, 'bench-results', 'recovery.md'), `${table}\n`);
process.exit(rows.some((r) => r.includes('**missed**')) ? 1 : 0);
