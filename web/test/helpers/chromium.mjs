// Debian's Chromium, headless, through playwright-core.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BLANK } from './paths.mjs';

/** The flags Chromium needs to run as root on a CI machine. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const executablePath = () => process.env.CHROMIUM || '/usr/bin/chromium';

/** Launches Chromium headless with a fresh profile; resolves with its context. */
export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tgwasm-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: executablePath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
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
  const portFile = join(userDataDir, 'DevToolsActivePort');
  rmSync(portFile, { force: true });
  const args = [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'];
  // In a CPU cgroup (cgroup.mjs), every process and thread of the browser
  // inherits its limit: the shell moves itself in, then becomes Chromium.
  const [cmd, argv] = cgroup ? ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, executablePath(), ...args]] : [executablePath(), args];
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

/** A page on the server's origin for API tests without the demo (BLANK). */
export async function blankPage(context, base) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(new Error(msg.text())); });
  await page.goto(`${base}${BLANK}`);
  page.errors = errors;
  return page;
}
