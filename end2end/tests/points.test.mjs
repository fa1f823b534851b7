// The 积分 tab on a phone: the day's sign-in point shows in the totals, the progress rows
// and the history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, go, signIn, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a member sees the sign-in point on the 积分 tab', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await page.getByRole('link', { name: '积分' }).click();
  await page.waitForURL('**/points');
  await page.getByRole('heading', { name: '今日进度' }).waitFor();
  const today = Number(await page.locator('.points-today strong').innerText());
  assert.ok(today >= 1, `today's points: ${today}`);
  const signInRow = page.locator('.progress-row', { hasText: '每日登录' });
  assert.equal(await signInRow.locator('.progress-count').innerText(), '1/1');
  await page.locator('.ledger-row', { hasText: '每日登录' }).first().waitFor();
  await shot(page, 'points');
  assert.deepEqual(page.errors, []);
  await context.close();
});
