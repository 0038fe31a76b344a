// Starts cmd/testdc for a Node test and reads its client configuration.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGo } from './process.mjs';

/**
 * Runs the local DC with extra flags; resolves once it listens. The DC
 * never keeps the test process alive.
 */
export async function startDC(flags = []) {
  const configPath = join(mkdtempSync(join(tmpdir(), 'tgwasm-dc-')), 'config.json');
  const { proc, lines, kill } = await startGo({
    name: 'testdc',
    bin: process.env.TGWASM_TESTDC,
    pkg: './cmd/testdc',
    args: [...flags, '-config-out', configPath],
    ready: (line) => (line.startsWith('testdc: listening on ') ? true : undefined),
    timeoutMs: 120000,
  });
  proc.unref();
  proc.stdout.unref();
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  const base = config.url.replace(/^ws/, 'http').replace(/\/apiws$/, '');
  return { config, base, lines, stop: kill };
}
