// The repository's documents link only inside the repository, and every
// link resolves: the file exists and, for #anchors, so does the heading
// (GitHub's slugs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { root } from '../helpers/paths.mjs';

const docs = ['README.md', 'ARCHITECTURE.md', 'docs/API.md', 'docs/GRAMJS.md', 'docs/RELIABILITY.md', 'docs/PERFORMANCE.md'];

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to '-'. */
function slug(heading) {
  return heading.trim().toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file) {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map();
  const out = new Set();
  for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) || 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

function links(file) {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

test('slug follows GitHub', () => {
  for (const [heading, want] of [
    ['Many tabs, one account', 'many-tabs-one-account'],
    ['Starting early: `preload()` and the page\'s links', 'starting-early-preload-and-the-pages-links'],
    ['Beside GramJS, on loopback and on a phone\'s network', 'beside-gramjs-on-loopback-and-on-a-phones-network'],
  ]) assert.equal(slug(heading), want);
});

test('the parser finds the links', () => {
  assert.ok(links(join(root, 'README.md')).includes('ARCHITECTURE.md'));
  assert.ok(links(join(root, 'README.md')).some((l) => l.startsWith('docs/API.md#')));
});

for (const doc of docs) {
  test(`${doc}: every link resolves inside the repository`, () => {
    const from = join(root, doc);
    for (const link of links(from)) {
      if (/^https?:\/\//.test(link)) continue;
      assert.doesNotMatch(link, /^[a-z]+:/, `${doc}: ${link}: an unexpected scheme`);
      const [path, anchor] = link.split('#');
      const target = path ? resolve(dirname(from), path) : from;
      assert.ok(!relative(root, target).startsWith('..'), `${doc}: ${link} leaves the repository`);
      assert.ok(existsSync(target), `${doc}: ${link}: no such file`);
      if (anchor !== undefined) {
        assert.ok(statSync(target).isFile() && target.endsWith('.md'), `${doc}: ${link}: an anchor into a non-document`);
        assert.ok(anchors(target).has(anchor), `${doc}: ${link}: no heading #${anchor} in ${relative(root, target)}`);
      }
    }
  });
}
