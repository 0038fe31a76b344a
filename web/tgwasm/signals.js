// The page's signals about the network and its own life, which the wasm
// hears: it probes its connection at once rather than at the next
// keep-alive, and makes no attempts while offline.

/**
 * Forwards the page's signals to send (in Worker mode they go through the
 * worker: a worker's own online/offline events are not reliable in every
 * browser). Returns a function that stops forwarding.
 * @param {(name: 'online' | 'offline' | 'check') => void} send
 */
export function forwardSignals(send) {
  const win = globalThis.window;
  const doc = globalThis.document;
  if (!win || !doc || typeof win.addEventListener !== 'function') return () => {};
  const listeners = [
    [win, 'online', () => send('online')],
    [win, 'offline', () => send('offline')],
    [doc, 'visibilitychange', () => { if (doc.visibilityState === 'visible') send('check'); }],
    [doc, 'resume', () => send('check')], // Page Lifecycle: a frozen page runs again
    [win, 'pageshow', (e) => { if (e.persisted) send('check'); }], // back from the back/forward cache
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  if (globalThis.navigator && globalThis.navigator.onLine === false) send('offline');
  return () => { for (const [target, type, fn] of listeners) target.removeEventListener(type, fn); };
}
