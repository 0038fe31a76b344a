// The benchmarks' figures: statistics, tables of targets, result files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './paths.mjs';

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** The median of xs (the upper one of an even count). */
export const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
/** The p-th quantile of xs (0 ≤ p ≤ 1), nearest rank. */
export const pct = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

/** A benchmark's progress, on stderr: stdout is its table. */
export const log = (...a) => console.error('bench:', ...a);
/** A duration in ms as a table shows it ("675 ms", "1.13 s"; "—" for none). */
export const duration = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

/**
 * A benchmark's targets, each [what, measured, limit, format]: the table
 * that says which were met, and by how much the others were missed.
 */
export function targetTable(targets) {
  return [
    '| target | measured | limit |  |',
    '| --- | --- | --- | --- |',
    ...targets.map(([what, got, limit, unit]) => `| ${what} | ${unit(got)} | ${unit(limit)} | ${got <= limit ? 'met' : `**missed** by ${Math.round((got / limit - 1) * 100)} %`} |`),
  ].join('\n');
}
/** Whether every target was met. */
export const allMet = (targets) => targets.every(([, got, limit]) => got <= limit);

/** Writes bench-results/<name>.json (data, dated) and <name>.md (text). */
export function writeResults(name, data, text) {
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', `${name}.json`), JSON.stringify({ date: new Date().toISOString(), ...data }, null, 2));
  writeFileSync(join(root, 'bench-results', `${name}.md`), `${text}\n`);
}
