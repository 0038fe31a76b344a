// Bundles web/ into dist/ with esbuild: one ES module per entry point, so
// that a page that imports tgwasm.js (or a worker that starts) loads one
// file instead of an import waterfall, three levels deep.
//
//   node scripts/bundle.mjs <dist> <wasm_exec.js> <wasm size>
//
// Called by scripts/build.sh. The bundles are readable (not minified: the
// wasm is 99% of the download) and have source maps. On the way,
// web/tgwasm/runtime/go.js, which loads wasm_exec.js from beside it when
// run from the sources, becomes a module carrying that wasm_exec.js (the
// one of the Go release that built the wasm), run on first use: no
// import() of an expression that a bundler consuming dist/ would have to
// guess at, and nothing run at import. web/tgwasm/wasm-size.js becomes
// the module of the built wasm's size, for download progress.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [dist, wasmExec, wasmSize] = process.argv.slice(2);
if (!dist || !wasmExec || !/^\d+$/.test(wasmSize || '')) {
  console.error('usage: node scripts/bundle.mjs <dist> <wasm_exec.js> <wasm size>');
  process.exit(2);
}

// Each file a page or a worker loads, by its name in dist/. gramjs.js
// imports tgwasm.js rather than carrying a copy: an app that uses both
// gets one client class and one set of error classes. The demo carries
// tgwasm.js, as an app's bundle would.
const ENTRIES = {
  tgwasm: 'web/tgwasm/tgwasm.js',
  worker: 'web/tgwasm/worker.js',
  'shared-worker': 'web/tgwasm/shared-worker.js',
  gramjs: 'web/gramjs/gramjs.js',
  demo: 'web/demo/demo.js',
};

const goRuntime = () => {
  const source = readFileSync(wasmExec, 'utf8');
  const notice = source.match(/^(\/\/[^\n]*\n)+/);
  if (!notice || !/Go Authors/.test(notice[0]) || !source.includes('globalThis.Go = class')) {
    throw new Error(`bundle: ${wasmExec} does not look like Go's wasm_exec.js`);
  }
  return `/*! wasm_exec.js from the Go release that built tgwasm.wasm:
${notice[0].replace(/^\/\/ ?/gm, ' * ')} */
let loading;

/** Resolves with the Go class, defining globalThis.Go on first use. */
export function goClass() {
  if (!loading) {
    loading = new Promise((resolve) => {
      if (typeof globalThis.Go !== 'function') runWasmExec();
      resolve(globalThis.Go);
    });
  }
  return loading;
}

function runWasmExec() {
${source.slice(notice[0].length)}
}
`;
};

const rewrite = {
  name: 'tgwasm',
  setup(build) {
    const go = resolve(root, 'web/tgwasm/runtime/go.js');
    build.onLoad({ filter: /[\\/]runtime[\\/]go\.js$/ }, (args) => (
      args.path === go ? { contents: goRuntime(), loader: 'js' } : undefined
    ));
    const size = resolve(root, 'web/tgwasm/wasm-size.js');
    build.onLoad({ filter: /[\\/]wasm-size\.js$/ }, (args) => (
      args.path === size ? { contents: `export const WASM_SIZE = ${Number(wasmSize)};\n`, loader: 'js' } : undefined
    ));
    // The shim and the page share tgwasm.js (see ENTRIES).
    const shim = resolve(root, 'web/gramjs');
    const library = resolve(root, 'web/tgwasm/tgwasm.js');
    build.onResolve({ filter: /tgwasm\.js$/ }, (args) => (
      args.importer.startsWith(shim) && resolve(dirname(args.importer), args.path) === library
        ? { path: './tgwasm.js', external: true } : undefined
    ));
  },
};

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: 'linked',
  legalComments: 'inline',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [rewrite],
  metafile: true,
});

for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const imports = out.imports.filter((i) => !i.path.startsWith('node:'));
  console.log(`bundle: ${file} ${(out.bytes / 1024).toFixed(0)} KB${imports.length ? `, imports ${imports.map((i) => i.path).join(', ')}` : ''}`);
}
