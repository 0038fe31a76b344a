// Bundles web/ into dist/ with esbuild: one ES module per entry point, so
// that a page that imports tgwasm.js (or a worker that starts) loads one
// file instead of an import waterfall, three levels deep.
//
//   node scripts/bundle.mjs <dist> <wasm_exec.js> <wasm size>
//
// Called by scripts/build.sh. The bundles are readable (not minified: the
// wasm is 99% of the download) and have source maps. Two modules are
// rewritten on the way:
//   - web/go.js, which loads wasm_exec.js from beside it when run from the
//     sources, becomes a module carrying that wasm_exec.js (the one of the
//     Go release that built the wasm), run on first use: no import() of an
//     expression that a bundler consuming dist/ would have to guess at, and
//     nothing run at import;
//   - web/options.js gets the wasm's size, for download progress.
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

// Each file a page or a worker loads. gramjs.js imports tgwasm.js rather
// than carrying a copy: an app that uses both gets one client class and
// one set of error classes. The demo carries tgwasm.js, as an app's bundle
// would.
const ENTRIES = ['tgwasm', 'worker', 'shared-worker', 'gramjs', 'demo'];

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
    const go = resolve(root, 'web/go.js');
    const options = resolve(root, 'web/options.js');
    build.onLoad({ filter: /[\\/]web[\\/](go|options)\.js$/ }, (args) => {
      if (args.path === go) return { contents: goRuntime(), loader: 'js' };
      if (args.path !== options) return undefined;
      const source = readFileSync(options, 'utf8');
      const line = 'export const WASM_SIZE = null;';
      if (!source.includes(line)) throw new Error(`bundle: web/options.js has no "${line}"`);
      return { contents: source.replace(line, `export const WASM_SIZE = ${wasmSize};`), loader: 'js' };
    });
    // gramjs.js and the page share tgwasm.js (see ENTRIES).
    build.onResolve({ filter: /^\.\/tgwasm\.js$/ }, (args) => (
      args.importer === resolve(root, 'web/gramjs.js') ? { path: './tgwasm.js', external: true } : undefined
    ));
  },
};

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, `web/${name}.js`])),
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
