// Type-checks a consumer of the packed package (scripts/test.sh installs
// `npm pack dist/` into a temporary project and runs tsc on this file).
import { createClient, preload, RPCError, FloodWaitError, TimeoutError, ConnectionError, type SentCode, type User, type State, type LoadProgress } from 'tgwasm';

async function main(): Promise<void> {
  const heard: LoadProgress[] = [];
  const loading: Promise<void> = preload({ onProgress: (p) => heard.push(p) });
  void loading;
  const client = await createClient({
    onProgress: ({ loaded, total }) => { if (total !== null) void (loaded / total); },
    apiId: 1,
    apiHash: '0123456789abcdef0123456789abcdef',
    server: { url: 'ws://127.0.0.1:1/apiws', dcId: 2, publicKeys: ['-----BEGIN RSA PUBLIC KEY-----\n-----END RSA PUBLIC KEY-----'] },
    storage: { localStorage: 'k' },
    device: { deviceModel: 'x' },
    worker: false,
  });
  client.on('state', (s: State) => void s);
  const sent: SentCode = await client.sendChangePhoneCode({ phoneNumber: '+1', settings: { allowFlashcall: true, logoutTokens: [new Uint8Array(1)] } }, { timeout: 5, signal: new AbortController().signal });
  if (sent.className === 'auth.SentCode') {
    const len: number | undefined = sent.type.className === 'auth.SentCodeTypeSms' ? sent.type.length : undefined;
    void len;
    const user: User = await client.changePhone({ phoneNumber: '+1', phoneCodeHash: sent.phoneCodeHash, phoneCode: '1' });
    const id: bigint = user.id;
    void id;
  }
  await client.sendVerifyPhoneCode({ phoneNumber: '+1' });
  const ok: true = await client.verifyPhone({ phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '1' });
  void ok;
  try {
    await client.getMe();
  } catch (e) {
    if (e instanceof FloodWaitError) { const s: number = e.seconds; void s; }
    if (e instanceof RPCError) { const c: number = e.code; const m: string = e.errorMessage; void c; void m; }
    if (e instanceof TimeoutError) { const t: number = e.timeout; void t; }
    if (e instanceof ConnectionError) void e.cause;
  }
  const s: string = await client.exportSession();
  void s;
  const mode: 'worker' | 'thread' | 'shared' = client.mode;
  void mode;
  await client.close();
}
void main;
