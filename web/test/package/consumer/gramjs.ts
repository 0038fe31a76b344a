// Type-checks GramJS-style code against tgwasm/gramjs (the doc examples,
// with the import changed), plus the narrowing a TypeScript user relies on.
import { Api, Buffer, TelegramClient, sessions, errors, type TLObject } from 'tgwasm/gramjs';

const { StringSession } = sessions;

async function run(apiId: number, apiHash: string): Promise<void> {
  const session = new StringSession('');
  const client = new TelegramClient(session, apiId, apiHash, { connectionRetries: 5, worker: false });
  await client.connect();
  const result: Api.auth.TypeSentCode = await client.invoke(
    new Api.account.SendChangePhoneCode({
      phoneNumber: 'some string here',
      settings: new Api.CodeSettings({
        allowFlashcall: true,
        currentNumber: true,
        allowAppHash: true,
        allowMissedCall: true,
        logoutTokens: [Buffer.from('arbitrary data here')],
      }),
    }),
  );
  if (result instanceof Api.auth.SentCode) {
    const hash: string = result.phoneCodeHash;
    const user: Api.TypeUser = await client.invoke(new Api.account.ChangePhone({ phoneNumber: '+1', phoneCodeHash: hash, phoneCode: '1' }));
    if (user.className === 'User') {
      const id: bigint = user.id;
      const first: string | null | undefined = user.firstName;
      void id; void first;
    }
    const next = result.nextType;
    if (next && next.className === 'auth.CodeTypeCall') void next;
  }
  const ok: boolean = await client.invoke(new Api.account.VerifyPhone({ phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '1' }));
  const auth: Api.auth.TypeAuthorization = await client.invoke(new Api.auth.SignIn({ phoneNumber: '+1', phoneCodeHash: 'h', phoneCode: '1' }));
  const id: number = Api.auth.SentCode.CONSTRUCTOR_ID;
  const obj: TLObject = result;
  void ok; void auth; void id; void obj;
  try {
    await client.invoke(new Api.auth.CancelCode({ phoneNumber: '+1', phoneCodeHash: 'h' }), { timeout: 1000 });
  } catch (e) {
    if (e instanceof errors.FloodWaitError) { const s: number = e.seconds; void s; }
    if (e instanceof errors.RPCError) { const m: string = e.errorMessage; void m; }
  }
  const saved: string = client.session.save();
  void saved;
  await client.start({
    phoneNumber: async () => '+1',
    phoneCode: async (viaApp?: boolean) => (viaApp ? '1' : '2'),
    password: async (hint?: string) => hint ?? '',
    onError: (err: Error) => { console.log(err.message); },
  });
  await client.start({ botAuthToken: '1:x' });
  const code: { phoneCodeHash: string; isCodeViaApp: boolean } = await client.sendCode({ apiId: 1, apiHash: 'h' }, '+1', true);
  const authorized: boolean = await client.checkAuthorization();
  void code; void authorized;
  await client.disconnect();
}
void run;
