// The branch calendar on a phone: a secretary opens 组织生活 from 我的 and sees what the
// branch must hold this month, quarter and year, and can page to the next month.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a secretary sees the branch calendar of due items', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'secretary');
  await page.getByRole('link', { name: '组织生活' }).click();
  await page.waitForURL('**/orglife');
  await hydrated(page);
  await page.getByText('前端开发党支部').first().waitFor();
  for (const item of ['支部党员大会', '支部委员会', '党小组会', '党课', '主题党日', '组织生活会', '民主评议']) {
    await page.getByText(item, { exact: true }).first().waitFor();
  }
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'orglife-calendar');
  const next = page.getByRole('link', { name: /›$/ }).last();
  await Promise.all([page.waitForURL(/month=\d{4}-\d{2}/), next.click()]);
  await page.getByText('待开展').first().waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});
