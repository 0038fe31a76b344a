// Every engine users have, behind one small interface, for the
// cross-engine tests (browser/engines.run.mjs) and the per-engine bench
// (bench/engines.run.mjs):
//   chromium  Debian's chromium, driven by playwright-core (CDP);
//   firefox   Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi;
//   webkit    WebKitGTK's MiniBrowser under Xvfb, driven by selenium-webdriver
//             through webkit2gtk-driver's WebKitWebDriver (WebDriver classic).
//
//   const engine = await launchEngine('firefox');
//   const tab = await engine.newTab(url);
//   const id = await tab.start(async (tg, base, arg) => …, arg);   // runs in the page
//   const value = await tab.result(id);                            // polls until it settles
//   await tab.run(fn, arg);                                        // start + result
//   await engine.close();
//
// A job is a function the page runs with tg (the page's import of
// /tgwasm.js), base (createClient options for the local DC the page is
// served with) and arg; what it resolves with must be JSON. start() only
// kicks it off, so that jobs in several tabs run at the same moment (a
// WebDriver session runs one script at a time, and waiting on it would
// serialize them).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API } from './paths.mjs';
import { freePort } from './server.mjs';
import { launchBrowser } from './chromium.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const POLL_MS = 50;

let jobs = 0;

/** The script that kicks job fn off in the page and returns its id. */
function kickoff(fn, arg, { tgwasm = true } = {}) {
  const id = ++jobs;
  const body = tgwasm
    ? `const tg = await import('/tgwasm.js');
       const server = await (await fetch('/testdc/config')).json();
       return (${fn})(tg, { ...${JSON.stringify(API)}, server }, ${JSON.stringify(arg ?? null)});`
    : `return (${fn})(${JSON.stringify(arg ?? null)});`;
  return {
    id,
    expression: `(() => {
      const jobs = (globalThis.__jobs ||= {});
      jobs[${id}] = { done: false };
      (async () => { ${body} })().then(
        (v) => { jobs[${id}] = { done: true, value: JSON.stringify(v === undefined ? null : v) }; },
        (e) => { jobs[${id}] = { done: true, error: (e && e.name ? e.name + ': ' : '') + (e && e.message !== undefined ? e.message : String(e)) }; },
      );
      return ${id};
    })()`,
  };
}

const poll = `(id) => { const j = (globalThis.__jobs || {})[id]; return j && j.done ? j : null; }`;

/** A tab over an evaluate(expression) and a close(). */
function tab(evaluate, close, goto) {
  const t = {
    goto,
    /** Runs a script (an expression) now and returns its value. */
    eval: evaluate,
    start: async (fn, arg, opts) => {
      const { id, expression } = kickoff(fn, arg, opts);
      await evaluate(expression);
      return id;
    },
    result: async (id) => {
      for (;;) {
        const j = await evaluate(`(${poll})(${id})`);
        if (j) {
          if (j.error !== undefined) throw new Error(j.error);
          return JSON.parse(j.value);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    run: async (fn, arg, opts) => t.result(await t.start(fn, arg, opts)),
    /** Polls expression until it is truthy. */
    until: async (expression) => {
      while (!(await evaluate(`!!(${expression})`))) await new Promise((r) => setTimeout(r, POLL_MS));
    },
    close,
  };
  return t;
}

/** An engine whose tabs are pages with evaluate and goto (Chromium's, Firefox's). */
function pageEngine(name, version, browser) {
  return {
    name,
    version,
    newTab: async (url) => {
      const page = await browser.newPage();
      if (url) await page.goto(url);
      return tab((e) => page.evaluate(e), () => page.close(), (u) => page.goto(u));
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- chromium
async function chromium() {
  const browser = await launchBrowser();
  const page0 = await browser.newPage();
  const version = (await (await browser.newCDPSession(page0)).send('Browser.getVersion')).product;
  await page0.close();
  return pageEngine('chromium', version, browser);
}

// ---------------------------------------------------------------- firefox
async function firefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'tgwasm-firefox-')),
    // Loopback pages are this test's own; nothing else may be reached.
    extraPrefsFirefox: { 'network.proxy.allow_hijacking_localhost': false, 'app.update.enabled': false },
  });
  const version = await browser.version();
  return pageEngine('firefox', version.replace(/^firefox\//, 'Firefox '), browser);
}

// ---------------------------------------------------------------- webkit
/** Starts Xvfb on a free display; resolves with { display, stop }. */
function xvfb() {
  const proc = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const stop = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve({ display: `:${m[1]}`, stop });
    });
    proc.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
}

async function webkit() {
  const { Builder } = await import('selenium-webdriver');
  if (!existsSync(MINIBROWSER)) throw new Error(`no MiniBrowser at ${MINIBROWSER} (Debian's webkit2gtk-driver brings it)`);
  const x = await xvfb();
  const port = await freePort();
  const driverProc = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', detached: true, env: { ...process.env, DISPLAY: x.display } });
  const stopDriver = () => { try { process.kill(-driverProc.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stopDriver);
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) break;
    } catch { /* not yet */ }
    if (driverProc.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${driverProc.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  }).build();
  const caps = await driver.getCapabilities();
  // One session, many windows: every command is for one window, so they
  // take turns.
  let turn = Promise.resolve();
  let current = await driver.getWindowHandle();
  let first = current;
  const inWindow = (handle, fn) => {
    const next = turn.then(async () => {
      if (handle && current !== handle) {
        await driver.switchTo().window(handle);
        current = handle;
      }
      return fn();
    });
    turn = next.catch(() => {});
    return next;
  };
  return {
    name: 'webkit',
    version: `WebKitGTK ${caps.get('browserVersion')}`,
    newTab: async (url) => {
      let handle;
      if (first) {
        handle = first; // the session's own window
        first = null;
      } else {
        handle = await inWindow(null, async () => {
          await driver.switchTo().newWindow('tab');
          current = await driver.getWindowHandle();
          return current;
        });
      }
      const goto = (u) => inWindow(handle, () => driver.get(u));
      if (url) await goto(url);
      return tab(
        (e) => inWindow(handle, () => driver.executeScript(`return ${e};`)),
        () => inWindow(handle, async () => {
          const handles = await driver.getAllWindowHandles();
          if (handles.length > 1) {
            await driver.close();
            current = null;
            const rest = handles.filter((h) => h !== handle);
            await driver.switchTo().window(rest[0]);
            current = rest[0];
          } else {
            await driver.get('about:blank');
            first = handle;
          }
        }),
        goto,
      );
    },
    close: async () => {
      try { await driver.quit(); } finally { stopDriver(); x.stop(); }
    },
  };
}

const LAUNCH = { chromium, firefox, webkit };

/** Launches an engine by name (see ENGINES). */
export async function launchEngine(name) {
  if (!LAUNCH[name]) throw new Error(`unknown engine ${name} (${ENGINES.join(', ')})`);
  return LAUNCH[name]();
}

/** Whether this machine has what an engine needs (its binaries). */
export function engineAvailable(name) {
  const need = { chromium: ['/usr/bin/chromium'], firefox: [FIREFOX], webkit: [MINIBROWSER] }[name];
  if (!need.every((p) => existsSync(p))) return false;
  if (name === 'webkit') {
    for (const tool of ['Xvfb', 'WebKitWebDriver']) {
      try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { return false; }
    }
  }
  return true;
}
