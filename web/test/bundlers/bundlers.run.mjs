// The packed package in an app, built by every bundler users have, with
// no configuration: Vite, webpack 5 and Parcel 2 (production builds and
// dev servers) and esbuild following docs/API.md's recipe. Each build runs
// in Chromium in Worker, thread and 'shared' mode: a SentCode, then an
// RPCError. A build that warns about how the package loads its parts
// fails (webpack's size hint for the wasm aside).
//
//   node web/test/bundlers/bundlers.run.mjs <tgwasm-*.tgz>   (scripts/test.sh)
//
// The app (web/test/bundlers/src/main.js, one source for every bundler)
// and the bundlers' versions are pinned in web/test/bundlers/package-lock.json.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { root } from '../helpers/paths.mjs';
import { freePort } from '../helpers/server.mjs';
import { launchBrowser } from '../helpers/chromium.mjs';
import { runTests, test } from '../helpers/runner.mjs';
import { startDC } from '../helpers/testdc.mjs';

const tarball = process.argv[2];
if (!tarball || !existsSync(tarball)) {
  console.error('usage: node web/test/bundlers/bundlers.run.mjs <tgwasm-*.tgz> (npm pack of dist/)');
  process.exit(2);
}
const app = join(root, 'web', 'test', 'bundlers');
const out = join(app, 'out');
const bin = (name) => join(app, 'node_modules', '.bin', name);
const MODES = ['worker', 'thread', 'shared'];

// ---------------------------------------------------------------- install
execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: app, stdio: 'inherit' });
const pkg = join(app, 'node_modules', 'tgwasm');
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });
execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
rmSync(out, { recursive: true, force: true });
for (const cache of ['.parcel-cache', 'node_modules/.vite']) rmSync(join(app, cache), { recursive: true, force: true });

/**
 * Runs a bundler's build; fails on a warning about anything but the
 * wasm's size, and returns its output.
 */
function build(cmd, args) {
  const text = execFileSync(cmd, args, { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  // What is said of the wasm's size (webpack: "asset size limit",
  // "entrypoint size limit", and its count of warnings; Parcel marks the
  // file) is the one thing let through.
  const sizeOnly = /size limit|exceed the recommended size|performance recommendations|compiled with \d+ warnings?|\.wasm\s+⚠️/i;
  const warnings = text.split('\n').filter((l) => /warn|critical|⚠/i.test(l) && !sizeOnly.test(l));
  assert.deepEqual(warnings, [], `${cmd} ${args.join(' ')} warned:\n${text}`);
  return text;
}

// ---------------------------------------------------------------- serving
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

/** Serves a built app's directory as a plain static server would. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, stop: () => server.close() }));
  });
}

/** Starts a bundler's dev server and resolves once it answers at url. */
async function devServer(cmd, args, url) {
  const proc = spawn(cmd, args, { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const kill = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', kill);
  let text = '';
  proc.stdout.on('data', (d) => { text += d; });
  proc.stderr.on('data', (d) => { text += d; });
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${cmd} exited:\n${text}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: kill, output: () => text };
}

// ---------------------------------------------------------------- the app in Chromium
/** Opens the app at url in each mode and checks what it reports. */
async function runApp(ctx, url) {
  for (const mode of MODES) {
    const page = await ctx.browser.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // Failed requests are told by URL below (a browser asks for a
    // favicon that an app need not have).
    page.on('console', (msg) => { if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) errors.push(msg.text()); });
    page.on('response', (res) => { if (!res.ok() && !res.url().endsWith('/favicon.ico')) errors.push(`${res.status()} ${res.url()}`); });
    try {
      await page.goto(`${url}?mode=${mode}#${encodeURIComponent(JSON.stringify(ctx.dc.config))}`);
      await page.waitForFunction(() => globalThis.__result, null, { timeout: 0, polling: 100 });
      const result = await page.evaluate(() => globalThis.__result);
      assert.deepEqual(result, { mode, sent: 'auth.SentCode', failure: 'RPCError PHONE_NUMBER_OCCUPIED' }, `${mode} mode at ${url}`);
      assert.deepEqual(errors, [], `${mode} mode: errors on the page`);
    } finally {
      await page.close();
    }
  }
}

// ---------------------------------------------------------------- the bundlers
test('[bundlers] Vite: production build', async (ctx) => {
  build(bin('vite'), ['build', 'src', '--outDir', join(out, 'vite'), '--emptyOutDir']);
  const site = await serve(join(out, 'vite'));
  try { await runApp(ctx, site.url); } finally { site.stop(); }
});

test('[bundlers] Vite: dev server', async (ctx) => {
  const port = await freePort();
  const dev = await devServer(bin('vite'), ['src', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], `http://127.0.0.1:${port}/`);
  try { await runApp(ctx, dev.url); } finally { dev.stop(); }
});

test('[bundlers] webpack 5: production build with nothing configured but the entry', async (ctx) => {
  build(bin('webpack'), ['--entry', './src/main.js', '--mode', 'production', '--output-path', join(out, 'webpack')]);
  cpSync(join(app, 'public', 'index.html'), join(out, 'webpack', 'index.html'));
  const site = await serve(join(out, 'webpack'));
  try { await runApp(ctx, site.url); } finally { site.stop(); }
});

test('[bundlers] webpack 5: dev server', async (ctx) => {
  const port = await freePort();
  const dev = await devServer(bin('webpack'), ['serve', '--entry', './src/main.js', '--mode', 'development', '--port', String(port), '--host', '127.0.0.1', '--no-hot', '--no-live-reload', '--no-client-overlay'], `http://127.0.0.1:${port}/`);
  try {
    await runApp(ctx, dev.url);
    assert.doesNotMatch(dev.output(), /Critical dependency|WARNING in (?!asset size|entrypoint size)/, dev.output());
  } finally { dev.stop(); }
});

test('[bundlers] Parcel 2: production build', async (ctx) => {
  build(bin('parcel'), ['build', 'src/index.html', '--dist-dir', join(out, 'parcel'), '--no-cache']);
  const site = await serve(join(out, 'parcel'));
  try { await runApp(ctx, site.url); } finally { site.stop(); }
});

test('[bundlers] Parcel 2: dev server', async (ctx) => {
  const port = await freePort();
  const dev = await devServer(bin('parcel'), ['serve', 'src/index.html', '--port', String(port), '--host', '127.0.0.1', '--no-hmr', '--no-cache', '--dist-dir', join(out, 'parcel-dev')], `http://127.0.0.1:${port}/`);
  try { await runApp(ctx, dev.url); } finally { dev.stop(); }
});

test('[bundlers] esbuild, following docs/API.md: bundle, then copy the package\'s workers and wasm beside it', async (ctx) => {
  const dir = join(out, 'esbuild');
  build(bin('esbuild'), ['src/main.js', '--bundle', '--format=esm', `--outdir=${dir}`, '--log-level=warning']);
  for (const f of ['worker.js', 'shared-worker.js', 'tgwasm.wasm']) cpSync(join(pkg, f), join(dir, f));
  cpSync(join(app, 'src', 'index.html'), join(dir, 'index.html'));
  const site = await serve(dir);
  try { await runApp(ctx, site.url); } finally { site.stop(); }
});

runTests(async () => {
  const dc = await startDC(['-preauth', '-flood-limit', '1000000']);
  const browser = await launchBrowser();
  return {
    dc,
    browser,
    teardown: async () => {
      await browser.close();
      dc.stop();
    },
  };
});
