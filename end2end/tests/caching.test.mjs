// A phone keeps the bundle (file names with their content's hash) for a year without asking
// again, and asks for every page anew, so that a new release reaches it on its next visit.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

test('hashed bundle files are kept for a year and pages are asked for again each visit', async () => {
  const page = await fetch(BASE + '/signin');
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const html = await page.text();
  // The stylesheet is linked; the bundle's script and WebAssembly are named to the islands'
  // loader, which fetches them once the page has loaded.
  const files = [...html.matchAll(/(?:href|src|data-js|data-wasm)="(\/pkg\/[^"]+)"/g)].map((m) => m[1]);
  for (const ext of ['.js', '.wasm', '.css']) {
    const file = files.find((f) => f.endsWith(ext));
    assert.ok(file, `the page links no ${ext} file: ${files.join(', ')}`);
    assert.match(file, /\/pkg\/qnej\.[A-Za-z0-9_-]{8,}\.(js|wasm|css)$/, `${file} carries no hash`);
    const res = await fetch(BASE + file);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable', file);
    await res.arrayBuffer();
  }
  // A name the build did not hash (or a guess) is not kept.
  const other = await fetch(BASE + '/pkg/qnej.css');
  assert.notEqual(other.headers.get('cache-control'), 'public, max-age=31536000, immutable');
});
