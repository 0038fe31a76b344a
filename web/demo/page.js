// What the demo's modules share: the page's state (the client, the local
// DC's config) and small helpers.

import { describeError } from './format.js';

export const $ = (sel, root = document) => root.querySelector(sel);

/** The demo's state: the client it runs, and the local DC's config (null when served without one). */
export const state = { client: null, localConfig: null };

/** What the end-to-end tests (and curious people) read: states, timings, download progress, the log. */
export const demo = { states: [], client: null, timings: {}, progress: [], log: [] };
globalThis.__tgwasmDemo = demo;

export async function busy(button, fn) {
  button.disabled = true;
  button.classList.add('busy');
  try { return await fn(); } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

export function showError(el, err) {
  const d = describeError(err);
  el.textContent = `${d.text}. (${d.raw})`;
  el.hidden = false;
}

export function b64ToBytes(s) {
  const bin = atob(s.trim().replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
