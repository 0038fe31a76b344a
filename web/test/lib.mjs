// Shared harness for the browser tests: the dev server, headless Chromium
// (Debian's, through playwright-core) and a small test runner.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshots = join(root, 'screenshots');
/** The test app's credentials, which the local DC accepts. */
export const API = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb' };

/** A loopback TCP port that was free a moment ago. */
export const freePort = () => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on('error', reject);
});

// ------------------------------------------------------------ figures (the benchmarks)
const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** The median of xs (the upper one of an even count). */
export const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
/** The p-th quantile of xs (0 ≤ p ≤ 1), nearest rank. */
export const pct = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
/** The local DC's counters (GET testdc/stats) of a started dev server. */
export const dcStats = async (server) => (await fetch(`${server.url}testdc/stats`)).json();

/**
 * Sends the local DC of a started dev server a command or fault switch
 * (POST testdc/<what>, body as JSON) and resolves with its JSON answer;
 * rejects unless it answers 200.
 */
export async function dcControl(server, what, body = {}) {
  const res = await fetch(`${server.url}testdc/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`testdc/${what} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** A benchmark's progress, on stderr: stdout is its table. */
export const log = (...a) => console.error('bench:', ...a);
/** A duration in ms as a table shows it ("675 ms", "1.13 s"; "—" for none). */
export const duration = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

/**
 * A benchmark's targets, each [what, measured, limit, format]: the table
 * that says which were met, and whether all were.
 */
export function targetTable(targets) {
  return [
    '| target | measured | limit |  |',
    '| --- | --- | --- | --- |',
    ...targets.map(([what, got, limit, unit]) => `| ${what} | ${unit(got)} | ${unit(limit)} | ${got <= limit ? 'met' : `**missed** by ${Math.round((got / limit - 1) * 100)} %`} |`),
  ].join('\n');
}
export const allMet = (targets) => targets.every(([, got, limit]) => got <= limit);

/** Writes bench-results/<name>.json (data, dated) and <name>.md (text). */
export function writeResults(name, data, text) {
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', `${name}.json`), JSON.stringify({ date: new Date().toISOString(), ...data }, null, 2));
  writeFileSync(join(root, 'bench-results', `${name}.md`), `${text}\n`);
}

/**
 * Starts cmd/devserver on a free loopback port. TGWASM_DEVSERVER names a
 * prebuilt binary; otherwise `go run` is used. dist/ must be built.
 */
export function startServer(flags = []) {
  const bin = process.env.TGWASM_DEVSERVER;
  const args = ['-addr', '127.0.0.1:0', '-no-build', ...flags];
  const [cmd, argv] = bin && existsSync(bin) ? [bin, args] : ['go', ['run', './cmd/devserver', ...args]];
  // Its own process group: stopping it stops `go run`'s child too.
  const proc = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const kill = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', kill);
  const log = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        log.push(line);
        const m = /^\s+open (http:\/\/\S+)/.exec(line);
        if (m) {
          resolve({
            url: m[1],
            log,
            stop: () => new Promise((r) => { proc.once('exit', r); kill(); }),
          });
        }
      }
    });
    proc.on('exit', (code) => reject(new Error(`devserver exited with ${code}`)));
    setTimeout(() => reject(new Error('devserver did not start within 180 s')), 180000).unref();
  });
}

/** Launches Debian's Chromium headless with a fresh profile. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const userDataDir = mkdtempSync(join(tmpdir(), 'tgwasm-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return context;
}

/**
 * Launches Chromium as a page's own browser would run it: Playwright's
 * launch keeps every page focused and visible (focus emulation), so a page
 * can never be hidden or frozen there. This one is started by hand and
 * driven over CDP without those overrides. userDataDir, when given, is a
 * profile to keep between launches (a returning visitor). Resolves with
 * its default context; close() ends the browser the way a user quitting
 * it would (its caches written to disk).
 */
export async function launchBareBrowser({ userDataDir = mkdtempSync(join(tmpdir(), 'tgwasm-chromium-')), cgroup = null } = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const portFile = join(userDataDir, 'DevToolsActivePort');
  rmSync(portFile, { force: true });
  const args = [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'];
  // In a CPU cgroup (cgroup.mjs), every process and thread of the browser
  // inherits its limit: the shell moves itself in, then becomes Chromium.
  const [cmd, argv] = cgroup ? ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, executablePath, ...args]] : [executablePath, args];
  const proc = spawn(cmd, argv, { stdio: 'ignore', detached: true });
  const kill = () => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', kill);
  while (!existsSync(portFile) || !readFileSync(portFile, 'utf8').includes('\n')) {
    if (proc.exitCode !== null) throw new Error(`chromium exited with ${proc.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = readFileSync(portFile, 'utf8').split('\n')[0];
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { noDefaults: true });
  const context = browser.contexts()[0];
  context.close = async () => {
    const exited = new Promise((r) => { if (proc.exitCode !== null) r(); else proc.once('exit', r); });
    try {
      await (await browser.newBrowserCDPSession()).send('Browser.close');
    } catch { /* already going */ }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15000))]);
    kill();
    process.off('exit', kill);
  };
  context.bareBrowser = browser; // for browser-level CDP (tracing)
  return context;
}

/**
 * A page on the server's origin for API tests without the demo. It is a
 * real document from the server (tgwasm.d.ts, shown as text): a document
 * made up by the test (page.route) would count as a public address space,
 * and Chromium's local network access checks would then block the
 * loopback WebSocket.
 */
export async function blankPage(context, base) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(new Error(msg.text())); });
  await page.goto(`${base}tgwasm.d.ts`);
  page.errors = errors;
  return page;
}

export function screenshotPath(name) {
  mkdirSync(screenshots, { recursive: true });
  return join(screenshots, `${name}.png`);
}

const tests = [];

/** Registers a test. */
export function test(name, fn) {
  tests.push({ name, fn });
}

const TEST_TIMEOUT = Number(process.env.TGWASM_TEST_TIMEOUT || 120000);

/** Runs the registered tests (filter with TGWASM_TEST=substring); exits non-zero on failure. */
export async function runTests(setup) {
  const only = process.env.TGWASM_TEST;
  const ctx = await setup();
  let failed = 0;
  let ran = 0;
  const started = Date.now();
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    ran++;
    const t0 = Date.now();
    let timer;
    try {
      // A test that hangs (a promise that never settles) fails here
      // instead of holding CI until its deadline.
      await Promise.race([
        t.fn(ctx),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT / 1000} s`)), TEST_TIMEOUT); }),
      ]);
      console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${t.name} (${Date.now() - t0} ms)\n${err && err.stack ? err.stack : err}`);
    } finally {
      clearTimeout(timer);
    }
  }
  await ctx.teardown();
  console.log(`${failed ? 'FAIL' : 'PASS'}: ${ran - failed}/${ran} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}
