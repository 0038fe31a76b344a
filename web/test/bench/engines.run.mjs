// tgwasm beside GramJS in every engine users have (helpers/engines.mjs): Chromium,
// Firefox ESR and WebKitGTK, on loopback against the same local DC, the
// HTTP cache warm (each page is opened once first): navigation → first
// SentCode of a new page (a new key each time) and warm calls, with
// tgwasm's start step by step in Worker mode. Run through scripts/bench.sh;
// prints the table, writes bench-results/engines.{json,md} and exits
// non-zero when a target is missed.
import { benchPages } from './pages.mjs';
import { ENGINES, engineAvailable, launchEngine } from '../helpers/engines.mjs';
import { BLANK } from '../helpers/paths.mjs';
import { startServer } from '../helpers/server.mjs';
import { allMet, duration as ms, log, median, targetTable, writeResults } from '../helpers/figures.mjs';

const RUNS = Number(process.env.BENCH_ENGINE_RUNS || 5);
const CALLS = Number(process.env.BENCH_ENGINE_CALLS || 500);
const engines = (process.env.BENCH_ENGINES || ENGINES.join(',')).split(',').filter((e) => {
  if (engineAvailable(e)) return true;
  log(`${e}: not installed, skipped`);
  return false;
});

const server = await startServer(['-flood-limit', '100000000']);
const { pageURL, before } = await benchPages(server);
// worker-before: the module before the lean one, when scripts/bench.sh
// built it.
const CONTENDERS = ['worker', 'thread', 'gramjs', ...(before ? ['worker-before'] : [])];
const results = {};

/** Opens the contender's page in tab and waits for its first SentCode. */
async function visit(tab, c) {
  await tab.goto(pageURL(c));
  await tab.until('globalThis.__result');
  const r = await tab.eval('JSON.stringify(globalThis.__result)');
  const out = JSON.parse(r);
  if (c !== 'gramjs') {
    // tgwasm's timeline: when each step of starting happened (ms from
    // navigation).
    const steps = await tab.run(async () => {
      const s = await globalThis.__client.stats();
      return Object.fromEntries(Object.entries(s.timeline || {}).map(([k, t]) => [k, t - performance.timeOrigin]));
    }, null, { tgwasm: false });
    out.steps = steps;
  }
  return out;
}

try {
  for (const name of engines) {
    log(`${name}: launching…`);
    const engine = await launchEngine(name);
    const R = { version: engine.version };
    results[name] = R;
    const tab = await engine.newTab(`${server.url}${BLANK}`);
    try {
      for (const c of CONTENDERS) {
        R[c] = { visits: [], warm: null };
        await visit(tab, c); // fills the HTTP cache
      }
      for (let i = 0; i < RUNS; i++) {
        for (const c of CONTENDERS) {
          log(`${name} ${c}: visit ${i + 1}/${RUNS}…`);
          R[c].visits.push(await visit(tab, c));
        }
      }
      for (const c of CONTENDERS) {
        log(`${name} ${c}: ${CALLS} warm calls…`);
        await visit(tab, c);
        R[c].warm = await tab.run(async (calls) => {
          for (let k = 0; k < 50; k++) await globalThis.__client.call(k);
          const lat = [];
          for (let k = 0; k < calls; k++) {
            const t = performance.now();
            await globalThis.__client.call(k);
            lat.push(performance.now() - t);
          }
          lat.sort((a, b) => a - b);
          return { p50: lat[Math.floor(lat.length / 2)], p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] };
        }, CALLS, { tgwasm: false });
      }
    } finally {
      await engine.close();
    }
  }
} finally {
  await server.stop();
}

const fine = (x) => `${x.toFixed(1)} ms`;
const med = (list, fn) => median(list.map(fn));
const first = (R, c) => med(R[c].visits, (x) => x.sentCode);
const rows = engines.map((name) => {
  const R = results[name];
  const cell = (c) => `${ms(first(R, c))} / ${fine(R[c].warm.p50)}`;
  return `| ${R.version} | ${CONTENDERS.map(cell).join(' | ')} |`;
});
const NAMES = { worker: 'tgwasm Worker: navigation → first SentCode / warm p50', thread: 'tgwasm thread', gramjs: 'GramJS 2.26.21', 'worker-before': 'tgwasm Worker, before the lean module' };
const table = [
  `| engine (loopback, HTTP cache warm, N = ${RUNS}, medians; ${CALLS} warm calls) | ${CONTENDERS.map((c) => NAMES[c]).join(' | ')} |`,
  `| --- | ${CONTENDERS.map(() => '---').join(' | ')} |`,
  ...rows,
].join('\n');

// Where Worker mode's start goes in each engine (ms from navigation), and
// before the lean module.
const STEPS = [
  ['script runs', (x) => x.scriptRuns],
  ['worker runs', (x) => x.steps['worker: worker running']],
  ['wasm response', (x) => x.steps['worker: wasm response']],
  ['wasm compiled', (x) => x.steps['worker: wasm compiled']],
  ['Go handed over', (x) => x.steps['worker: go handed over']],
  ['client created', (x) => x.created],
  ['first SentCode', (x) => x.sentCode],
];
const breakdown = [
  `| Worker mode, ms from navigation | ${STEPS.map(([s]) => s).join(' | ')} |`,
  `| --- |${STEPS.map(() => ' --- |').join('')}`,
  ...engines.flatMap((name) => ['worker', ...(before ? ['worker-before'] : [])].map((c) => `| ${results[name].version}${c === 'worker' ? '' : ', before'} | ${STEPS.map(([, fn]) => ms(med(results[name][c].visits, (x) => fn(x) ?? NaN))).join(' | ')} |`)),
].join('\n');

const targets = [];
for (const name of engines) {
  const R = results[name];
  targets.push(
    [`${R.version}: warm p50, Worker ≤ GramJS`, R.worker.warm.p50, R.gramjs.warm.p50, fine],
    [`${R.version}: navigation → first SentCode of a new page, Worker ≤ GramJS + 10 %`, first(R, 'worker'), first(R, 'gramjs') * 1.1, ms],
  );
}
const text = `\n${table}\n\n${breakdown}\n\n${targetTable(targets)}`;
console.log(text);
writeResults('engines', { results }, text);
process.exit(allMet(targets) ? 0 : 1);
