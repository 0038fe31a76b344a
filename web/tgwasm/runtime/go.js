// The Go runtime's JavaScript side: the Go class from wasm_exec.js, which
// must come from the Go release that built tgwasm.wasm.
//
// In dist/ this module is replaced by one that carries that wasm_exec.js
// inside (scripts/bundle.mjs), so that nothing is loaded by an expression
// a bundler would have to guess at. From the sources, as here (the Node
// tests), it is loaded from beside this file.

let loading;

/** Resolves with the Go class, defining globalThis.Go on first use. */
export function goClass() {
  if (!loading) {
    loading = (async () => {
      if (typeof globalThis.Go !== 'function') await import(new URL('./wasm_exec.js', import.meta.url).href);
      if (typeof globalThis.Go !== 'function') throw new Error('tgwasm: wasm_exec.js did not define Go');
      return globalThis.Go;
    })();
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}
