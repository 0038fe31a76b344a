// Starts cmd/testdc for a Node test and reads its client configuration.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './paths.mjs';

/** Runs the local DC with extra flags; resolves once it listens. */
export function startDC(flags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'tgwasm-dc-'));
  const configPath = join(dir, 'config.json');
  const bin = process.env.TGWASM_TESTDC;
  const [cmd, args] = bin && existsSync(bin)
    ? [bin, [...flags, '-config-out', configPath]]
    : ['go', ['run', './cmd/testdc', ...flags, '-config-out', configPath]];
  // Its own process group: stopping it stops `go run`'s child too. The DC
  // never outlives the test process, and never keeps it alive.
  const proc = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const kill = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', kill);
  const lines = [];
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      let i;
      while ((i = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        lines.push(line);
        if (line.startsWith('testdc: listening on ')) {
          const config = JSON.parse(readFileSync(configPath, 'utf8'));
          const base = config.url.replace(/^ws/, 'http').replace(/\/apiws$/, '');
          proc.unref();
          proc.stdout.unref();
          resolve({ config, base, lines, stop: kill });
        }
      }
    });
    proc.on('exit', (code) => reject(new Error(`testdc exited with ${code}`)));
    setTimeout(() => reject(new Error('testdc did not start within 120 s')), 120000).unref();
  });
}
