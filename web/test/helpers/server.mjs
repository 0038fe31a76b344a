// The dev server (dist/ and the local DC on one origin) and its controls.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { root } from './paths.mjs';

/** A loopback TCP port that was free a moment ago. */
export const freePort = () => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on('error', reject);
});

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
