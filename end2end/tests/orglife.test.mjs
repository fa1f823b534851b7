// The branch calendar on a phone: a secretary opens 组织生活 from 我的 and sees what the
// branch must hold this month, quarter and year, pages to the next month, and schedules a
// committee meeting that then shows on the calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a secretary sees the branch calendar of due items and schedules a meeting on it', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'secretary');
  await page.locator('main').getByRole('link', { name: '组织生活' }).click();
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

  // Schedule a committee meeting: first with the end before the start.
  await page.getByRole('link', { name: '安排会议' }).click();
  await page.waitForURL(/\/orglife\/schedule/);
  await hydrated(page);
  await page.selectOption('#f-kind', 'committee_meeting');
  await page.fill('#f-title', '三月支委会');
  await page.fill('#f-starts', '2030-03-12T19:00');
  await page.fill('#f-ends', '2030-03-12T18:00');
  await page.fill('#f-place', '星云大厦 3 楼会议室');
  await page.getByRole('button', { name: '安排会议' }).click();
  await page.getByText('结束时间要晚于开始时间').waitFor();
  assert.equal(await page.inputValue('#f-title'), '三月支委会', 'what was typed stays');
  await page.fill('#f-ends', '2030-03-12T20:30');
  await Promise.all([page.waitForURL(/month=2030-03/), page.getByRole('button', { name: '安排会议' }).click()]);
  await hydrated(page);
  await page.getByText('三月支委会').waitFor();
  await page.getByText('2030-03-12 19:00–20:30', { exact: false }).first().waitFor();
  await page.getByText('已安排').first().waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'orglife-scheduled');
  assert.deepEqual(page.errors, []);
  await context.close();
});
