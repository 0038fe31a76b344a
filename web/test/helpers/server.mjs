// The dev server (dist/ and the local DC on one origin) and its controls.
import { createServer } from 'node:net';
import { startGo } from './process.mjs';

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
export async function startServer(flags = []) {
  const { value: url, proc, lines, kill } = await startGo({
    name: 'devserver',
    bin: process.env.TGWASM_DEVSERVER,
    pkg: './cmd/devserver',
    args: ['-addr', '127.0.0.1:0', '-no-build', ...flags],
    ready: (line) => /^\s+open (http:\/\/\S+)/.exec(line)?.[1],
    timeoutMs: 180000,
  });
  return { url, log: lines, stop: () => new Promise((r) => { proc.once('exit', r); kill(); }) };
}
