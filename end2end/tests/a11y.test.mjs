// axe-core on the public pages and the platform admin's: no critical or serious violation.
// axe is injected into the page, so these contexts bypass the page's CSP (only here and in
// the sweep; every other test runs under it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, go, axeProblems } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function check(who, paths) {
  const { context, page } = await phone(browser, { bypassCSP: true });
  if (who) await signIn(page, who);
  const all = [];
  for (const path of paths) {
    await go(page, path);
    for (const v of await axeProblems(page)) all.push(`${path} ${v}`);
  }
  await context.close();
  return all;
}

// The signed-in pages of members, secretaries and committees are swept in sweep.test.mjs;
// here the public pages and the platform admin's own.
test('the public and a platform admin meet no critical or serious axe-core violation', async () => {
  const found = [
    ...(await check(null, ['/signin', '/signup', '/reset', '/signin/sms', '/league/apply'])),
    ...(await check('admin', ['/admin/ledger', '/admin/questions', '/admin/rules', '/league/outbox'])),
  ];
  assert.deepEqual(found, []);
});
