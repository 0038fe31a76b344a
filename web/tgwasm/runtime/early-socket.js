// An early connection. A worker knows where its client will connect
// before the wasm is compiled and started, and a WebSocket takes a round
// trip or two to open (TCP, TLS, the upgrade): 150-450 ms on a phone's
// network. preconnect opens it at once, and the Go dialer
// (nhooyr.io/websocket, through `new WebSocket(url, ['binary'])`) takes it
// over when it asks for that URL. Only tgwasm's own workers do this: a
// page's global WebSocket is left alone.

import { ENDPOINTS } from '../endpoints.gen.js';

const early = new Map(); // url → a WebSocket opened ahead of the dialer

/**
 * The WebSocket URL a client with these (normalized) options dials first:
 * transport.URL's (endpoints.gen.js is generated from it) for the session's
 * DC, or else the server's first DC. A custom server has one URL for
 * every DC; for Telegram's networks it is null until the session is
 * known (sessionKnown).
 */
export function firstEndpoint(wasm, sessionKnown) {
  if (wasm.server.network === 'custom') return wasm.server.url;
  if (!sessionKnown) return null;
  const dc = wasm.session ? wasm.session.dcId : wasm.server.dcId;
  return ENDPOINTS[wasm.server.network][dc] || null;
}

let NativeWebSocket;

/** Opens a WebSocket to url now, for the dialer to take over. */
export function preconnect(url) {
  if (!url || typeof globalThis.WebSocket !== 'function' || early.has(url)) return;
  if (!NativeWebSocket) {
    NativeWebSocket = globalThis.WebSocket;
    const Early = function WebSocket(u, protocols) {
      const ws = early.get(String(u));
      const binary = [].concat(protocols || []).join() === 'binary';
      if (ws && binary && ws.readyState <= NativeWebSocket.OPEN) {
        early.delete(String(u));
        return adopt(ws);
      }
      return new NativeWebSocket(u, protocols);
    };
    Early.prototype = NativeWebSocket.prototype;
    for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Early[k] = NativeWebSocket[k];
    globalThis.WebSocket = Early;
  }
  let ws;
  try {
    ws = new NativeWebSocket(url, ['binary']);
  } catch {
    return; // the dialer will say why
  }
  ws.binaryType = 'arraybuffer';
  early.set(url, ws);
  // Not taken within the dial timeout: the client went elsewhere.
  setTimeout(() => {
    if (early.get(url) === ws) {
      early.delete(url);
      ws.close();
    }
  }, 15000);
}

/** Hands the dialer an early socket: an 'open' it missed is replayed. */
function adopt(ws) {
  const add = ws.addEventListener.bind(ws);
  ws.addEventListener = (type, fn, options) => {
    add(type, fn, options);
    if (type === 'open' && ws.readyState === NativeWebSocket.OPEN) queueMicrotask(() => fn(new Event('open')));
  };
  return ws;
}
