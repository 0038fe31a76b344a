// A web developer's app: it imports tgwasm, creates a client and sends a
// code, then one that fails. Built unchanged by every bundler the consumer
// test (web/test/bundlers.e2e.mjs) runs. The test names the local DC and
// the mode in the URL: #<the DC's config as JSON>, ?mode=worker|thread|shared.
import { createClient, RPCError } from 'tgwasm';

const mode = new URLSearchParams(location.search).get('mode') || 'worker';
const server = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const out = document.querySelector('#out');

async function run() {
  const client = await createClient({
    apiId: 17349,
    apiHash: '344583e45741c457fe1862106095a5eb',
    server,
    worker: { worker: true, thread: false, shared: 'shared' }[mode],
    storage: mode === 'shared' ? { indexedDB: `app-${Date.now()}` } : 'memory',
  });
  const sent = await client.sendChangePhoneCode({ phoneNumber: '+15551234501' });
  let failure;
  try {
    await client.sendChangePhoneCode({ phoneNumber: '+9996620001' });
    failure = 'resolved';
  } catch (err) {
    failure = err instanceof RPCError ? `RPCError ${err.errorMessage}` : `${err.name}: ${err.message}`;
  }
  const result = { mode: client.mode, sent: sent.className, failure };
  await client.close();
  return result;
}

run().then(
  (result) => { globalThis.__result = result; out.textContent = JSON.stringify(result); },
  (err) => { globalThis.__result = { error: `${err.name}: ${err.message}` }; out.textContent = String(err); },
);
