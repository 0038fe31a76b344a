// The small runner of the browser and bundler tests: a *.test.mjs file
// registers its tests with test(); a *.run.mjs file imports them, starts
// what they need and calls runTests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './paths.mjs';

const tests = [];

/** Registers a test. */
export function test(name, fn) {
  tests.push({ name, fn });
}

const TEST_TIMEOUT = Number(process.env.TGWASM_TEST_TIMEOUT || 120000);

/** Where a test saves a screenshot named name (screenshots/<name>.png). */
export function screenshotPath(name) {
  const dir = join(root, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/**
 * Runs the registered tests (filter with TGWASM_TEST=substring) with the
 * context setup() resolves to; exits non-zero on failure.
 */
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
