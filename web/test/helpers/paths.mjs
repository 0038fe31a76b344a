// Where things are, and the test app's credentials.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Built output: the package (dist/) and its pieces. */
export const dist = join(root, 'dist');
/** The test app's credentials, which the local DC accepts. */
export const API = { apiId: 17349, apiHash: '344583e45741c457fe1862106095a5eb' };
/**
 * A real document of the dev server's (a declaration file, shown as text)
 * for a page on its origin that is not the demo: a document made up by a
 * test would count as a public address space, and Chromium's local
 * network access checks would then block the loopback WebSocket.
 */
export const BLANK = 'types/tgwasm/tgwasm.d.ts';
