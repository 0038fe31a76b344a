/**
 * Calls a page's listener (onProgress, onState, a session watcher, the
 * logger): what it throws is reported as uncaught, not propagated into
 * tgwasm.
 */
export function callListener(fn, ...args) {
  try {
    fn(...args);
  } catch (err) {
    queueMicrotask(() => { throw err; });
  }
}
