// One table per method (internal/bridge/methods.go): go generate writes
// METHODS, the JS methods, their declarations and the docs' table from it,
// and TestGeneratedIsCurrent fails when those files drift from it. This
// checks the other direction, where hands write: that the client serves
// every method of the table and names no method outside it, in its class,
// its declarations, the docs and the GramJS shim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '../../tgwasm/client.js';
import { METHODS, Methods } from '../../tgwasm/methods.gen.js';
import { CALLS } from '../../gramjs/calls.js';
import { root } from '../helpers/paths.mjs';

const table = Object.keys(METHODS).sort();
const read = (file) => readFileSync(join(root, file), 'utf8');
/** The public members a class's prototype defines itself. */
const own = (cls) => Object.getOwnPropertyNames(cls.prototype).filter((k) => k !== 'constructor' && !k.startsWith('_')).sort();

/** The lines of text between a line matching start and the first line matching end after it. */
function between(text, start, end) {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => start.test(l));
  assert.ok(from >= 0, `no line matches ${start}`);
  const to = lines.findIndex((l, i) => i > from && end.test(l));
  assert.ok(to > from, `no line matches ${end} after ${start}`);
  return lines.slice(from + 1, to);
}

test('the table has methods, each with its TL method', () => {
  assert.ok(table.length >= 12);
  for (const [name, m] of Object.entries(METHODS)) assert.match(m.tl, /^[a-z]+\.[a-zA-Z]+$/, name);
});

test('Client: every method of the table, and no other method of its own', () => {
  assert.deepEqual(own(Methods), table);
  for (const name of table) assert.equal(typeof Client.prototype[name], 'function', name);
  const overlap = own(Client).filter((k) => k in METHODS);
  assert.deepEqual(overlap, [], 'client.js redefines methods of the table');
});

test('tgwasm.d.ts and methods.gen.d.ts: the table\'s methods in the generated class, the client\'s own members in the interface', () => {
  const declared = between(read('web/tgwasm/methods.gen.d.ts'), /^export declare class Methods \{/, /^\}/)
    .map((l) => /^ {2}(\w+)\(/.exec(l)).filter(Boolean).map((m) => m[1]).sort();
  assert.deepEqual(declared, table);
  const client = between(read('web/tgwasm/tgwasm.d.ts'), /^export interface Client extends Methods \{/, /^\}/)
    .map((l) => /^ {2}(?:readonly )?(\w+)[(:?]/.exec(l)).filter(Boolean).map((m) => m[1]);
  assert.deepEqual([...new Set(client)].sort(), own(Client));
});

test('docs/API.md: a row per method of the table, and the client\'s own members beside it', () => {
  const docs = read('docs/API.md');
  const names = (rows) => rows.map((l) => /^\| `(\w+)/.exec(l)).filter(Boolean).map((m) => m[1]);
  const rows = between(docs, /^<!-- the table of methods: generated/, /^<!-- end of the table of methods -->/);
  assert.deepEqual(names(rows).sort(), table);
  const members = between(docs, /^Besides the methods, a client has:/, /^[^|\s]/);
  const documented = names(members).concat(members.flatMap((l) => [...l.matchAll(/ \/ `(\w+)/g)].map((m) => m[1])));
  assert.deepEqual([...new Set(documented)].sort(), own(Client));
});

test('the GramJS shim sends exactly the table\'s rows marked GramJS', () => {
  const shim = Object.values(CALLS).map((c) => c.method).sort();
  assert.deepEqual(shim, table.filter((m) => METHODS[m].gramjs));
});
