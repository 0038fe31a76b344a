// Runs one of this repository's Go commands (cmd/devserver, cmd/testdc)
// for the tests and waits until it says it is ready.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { root } from './paths.mjs';

/**
 * Starts the prebuilt binary bin when it exists, else `go run pkg`, with
 * args, in its own process group (killing it stops `go run`'s child too;
 * it never outlives the test process). Resolves once ready(line) returns
 * something other than undefined for a line of its output, with that
 * value, the process, every line so far and to come, and kill; rejects
 * if it exits first or is not ready within timeoutMs.
 * @template T
 * @param {{ name: string, bin?: string, pkg: string, args: string[], ready: (line: string) => T | undefined, timeoutMs: number }} command
 * @returns {Promise<{ value: T, proc: import('node:child_process').ChildProcess, lines: string[], kill: () => void }>}
 */
export function startGo({ name, bin, pkg, args, ready, timeoutMs }) {
  const [cmd, argv] = bin && existsSync(bin) ? [bin, args] : ['go', ['run', pkg, ...args]];
  const proc = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const kill = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', kill);
  const lines = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const value = ready(line);
        if (value !== undefined) resolve({ value, proc, lines, kill });
      }
    });
    proc.on('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs).unref();
  });
}
