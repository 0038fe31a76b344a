// What scripts/build.sh writes into dist/: one file per entry point with
// no import waterfall, and every file the demo page and the package name
// exists.
//   node --test web/test/unit/dist.test.mjs   (dist/ must be built)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist } from '../helpers/paths.mjs';

const read = (f) => readFileSync(join(dist, f), 'utf8');

// Static imports and exports-from at the top level of a bundle, and any
// import() call.
const importsOf = (code) => [
  ...[...code.matchAll(/^(?:import|export)\b[^;'"]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]),
  ...[...code.matchAll(/^import\s*["']([^"']+)["']/gm)].map((m) => m[1]),
];

test('each entry point is one file: the page, the workers, and GramJS\'s shim on top of the page\'s', () => {
  for (const [file, allowed] of [['tgwasm.js', []], ['worker.js', []], ['shared-worker.js', []], ['gramjs.js', ['./tgwasm.js']], ['demo.js', []]]) {
    const code = read(file);
    assert.deepEqual(importsOf(code), allowed, `${file} imports`);
    assert.doesNotMatch(code, /\bimport\s*\(/, `${file} has no import() a bundler would have to follow`);
    assert.match(code, /\n\/\/# sourceMappingURL=[\w.-]+\.js\.map\n?$/, `${file} names its source map`);
    assert.ok(existsSync(join(dist, `${file}.map`)), `${file}.map`);
  }
});

test('the bundles find the workers and the wasm beside them, the way bundlers recognize', () => {
  const page = read('tgwasm.js');
  assert.match(page, /new Worker\(new URL\("\.\/worker\.js", import\.meta\.url\), \{ type: "module"/);
  assert.match(page, /new SharedWorker\(new URL\("\.\/shared-worker\.js", import\.meta\.url\), \{ type: "module"/);
  assert.match(page, /new URL\("\.\/tgwasm\.wasm", import\.meta\.url\)/);
  // wasm_exec.js is inside, run on first use: importing the module
  // defines no global.
  for (const file of ['tgwasm.js', 'worker.js', 'shared-worker.js']) {
    assert.match(read(file), /function runWasmExec\(\) \{/, `${file} carries wasm_exec.js`);
  }
  assert.match(page, /var WASM_SIZE = \d+;/);
});

test('every file the demo page names exists', () => {
  const html = read('index.html');
  const build = read('BUILD_ID').trim();
  const named = [...html.matchAll(/(?:href|src)="v\/([0-9a-f]+)\/([^"]+)"/g)];
  assert.ok(named.length >= 3, 'the page names its files');
  for (const [, id, file] of named) {
    assert.equal(id, build, `${file} under this build's id`);
    assert.ok(existsSync(join(dist, file)), `dist/${file}`);
  }
  assert.doesNotMatch(html, /modulepreload/, 'no module list to keep in step with the build');
});

test('every file the package names exists', () => {
  const pkg = JSON.parse(read('package.json'));
  const files = pkg.files.filter((f) => !f.includes('*'));
  for (const f of files) assert.ok(existsSync(join(dist, f)), `files: ${f}`);
  for (const [entry, target] of Object.entries(pkg.exports)) {
    for (const path of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(existsSync(join(dist, path)), `exports ${entry}: ${path}`);
    }
  }
});
