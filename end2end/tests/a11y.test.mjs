// axe-core on the pages members, secretaries and the public see most: no critical or serious
// violation. axe is injected into the page, so these contexts bypass the page's CSP (only
// here; every other test runs under it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, phone, signIn, go } from './helpers.mjs';

const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The critical and serious violations on the page open in `page`, as "rule: target" lines.
async function violations(page) {
  await page.addScriptTag({ path: axe });
  const { passes, found } = await page.evaluate(async () => {
    const r = await window.axe.run(document);
    return {
      passes: r.passes.length,
      found: r.violations
        .filter((v) => v.impact === 'critical' || v.impact === 'serious')
        .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`)),
    };
  });
  assert.ok(passes > 10, `axe checked only ${passes} rules on ${page.url()}`);
  return found;
}

async function check(who, paths) {
  const { context, page } = await phone(browser, { bypassCSP: true });
  if (who) await signIn(page, who);
  const all = [];
  for (const path of paths) {
    await go(page, path);
    for (const v of await violations(page)) all.push(`${path} ${v}`);
  }
  await context.close();
  return all;
}

test('the public, a member, a company admin and a city admin meet no critical or serious axe-core violation', async () => {
  const found = [
    ...(await check(null, ['/signin', '/signup', '/league/apply'])),
    ...(await check('member', ['/study', '/points', '/rankings', '/orglife', '/me', '/me/notices', '/study/quiz', '/study/quiz/daily', '/transfers'])),
    ...(await check('orgadmin', ['/orglife/compliance', '/admin/orgs', '/transfers/queue'])),
    ...(await check('cityadmin', ['/admin/ledger', '/league/coverage'])),
  ];
  assert.deepEqual(found, []);
});
