/**
 * The size of tgwasm.wasm in bytes, for download progress (a compressed
 * response does not say it). null here, in the sources; scripts/bundle.mjs
 * gives the bundles this module with the built wasm's size.
 */
export const WASM_SIZE = null;
