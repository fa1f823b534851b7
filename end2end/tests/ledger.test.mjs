// The enterprise ledger on a phone: the platform admin imports the example ledger and
// filters it down to the firms that could found a League organization.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launch, phone, signIn, shot, hydrated, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an admin imports the example ledger and finds the firms that could found a branch', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'admin');
  await page.getByRole('link', { name: '企业台账' }).click();
  await page.waitForURL('**/admin/ledger');
  await hydrated(page);
  const file = fileURLToPath(new URL('../../public/examples/enterprise-ledger.csv', import.meta.url));
  await page.setInputFiles('#upload-sheet', file);
  await page.getByText(/导入完成：新增 \d+/).waitFor();
  await page.selectOption('select[name=filter]', 'eligible');
  await Promise.all([page.waitForURL(/filter=eligible/), page.getByRole('button', { name: '查看' }).click()]);
  await hydrated(page);
  await page.getByText('远山物联科技有限公司').waitFor();
  assert.equal(await page.getByText('小岛游戏有限公司').count(), 0, 'deregistered firms are not offered');
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'ledger');
  assert.deepEqual(page.errors, []);
  await context.close();
});
