// The library as the shim uses it. Every module of the shim imports
// tgwasm from here, so that dist/gramjs.js imports dist/tgwasm.js once.
// tgwasm's RPCError is TgRPCError here: GramJS has an RPCError of its own
// (errors.js), which extends it.
import { ConnectionError, RPCError as TgRPCError, TimeoutError, createClient } from '../tgwasm/tgwasm.js';

export { ConnectionError, TgRPCError, TimeoutError, createClient };
