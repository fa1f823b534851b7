// The 排行 tab on a phone: a member finds their rank, earns points, and sees it move; the
// organization board compares branches per member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, go, hydrated, chartDrawn, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function myRow(page) {
  const row = page.locator('.card', { hasText: '我的排名' }).locator('tr.me');
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  return { rank: Number(cells[0]), points: Number(cells[2]) };
}

test('a member sees the company board and their rank move after earning points', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await page.getByRole('link', { name: '排行' }).click();
  await page.waitForURL('**/rankings');
  await hydrated(page);
  // Today's board of the company committee: the member and 300 demo colleagues.
  await page.selectOption('select[name=period]', 'day');
  await page.waitForURL(/period=day/);
  await hydrated(page);
  const scope = await page.locator('select[name=scope] option', { hasText: '星云科技党委' }).getAttribute('value');
  await page.selectOption('select[name=scope]', scope);
  await page.waitForURL(/scope=org/);
  await hydrated(page);
  const before = await myRow(page);
  // My charts, drawn by ECharts from our own origin, with their numbers beside.
  await chartDrawn(page.locator('figure.chart-card', { hasText: '近 30 天我的积分' }));
  assert.equal(await page.locator('figure.chart-card', { hasText: '近 30 天我的积分' }).locator('tbody tr').count(), 30);
  await shot(page, 'rankings-members');

  // Earn points: the weekly quiz (the daily one may be taken already), all answers picked.
  await go(page, '/study/quiz/weekly');
  const questions = page.locator('fieldset.question');
  for (let i = 0; i < await questions.count(); i++) {
    await questions.nth(i).locator('label.option').first().click();
  }
  await page.getByRole('button', { name: /交卷/ }).click();
  await page.locator('.big-score').waitFor();
  const earned = Number((await page.locator('.result p').innerText()).match(/获得 (\d+) 积分/)?.[1] ?? 0);

  await go(page, `/rankings?scope=${scope}&period=day`);
  const after = await myRow(page);
  assert.equal(after.points, before.points + earned);
  if (earned > 0) assert.ok(after.rank <= before.rank, `${after.rank} <= ${before.rank}`);
  // The day's board shows exactly what the 积分 tab counts for today.
  await go(page, '/points');
  assert.equal(Number(await page.locator('.points-today strong').innerText()), after.points);
  await go(page, `/rankings?scope=${scope}&period=day`);
  await assertNoSidewaysScroll(page, assert);

  await page.getByRole('link', { name: '组织榜' }).click();
  await page.waitForURL(/view=orgs/);
  await hydrated(page);
  await page.locator('table.board tbody tr').first().waitFor();
  await chartDrawn(page.locator('figure.chart-card').first());
  assert.ok(await page.locator('table.board tbody tr').count() >= 1);
  await shot(page, 'rankings-orgs');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a secretary sees the branch participation chart and its table', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'secretary');
  await go(page, '/rankings');
  const figure = page.locator('figure.chart-card', { hasText: '支部近 12 周参学率' });
  await chartDrawn(figure);
  await figure.locator('summary').click();
  assert.equal(await figure.locator('tbody tr').count(), 12);
  await figure.scrollIntoViewIfNeeded();
  await shot(page, 'rankings-branch-chart');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a company admin computes, adjusts and publishes the branches\' star ratings', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'orgadmin');
  await go(page, '/rankings?view=orgs');
  await page.getByRole('link', { name: '星级评定' }).click();
  await page.waitForURL(/\/rankings\/ratings\?org=\d+/);
  await hydrated(page);
  await page.getByRole('button', { name: '按平台数据计算' }).click();
  await page.getByText(/已计算 \d+ 个支部/).waitFor();
  const rows = page.locator('table.ratings tbody tr');
  await rows.first().waitFor();
  const n = await rows.count();
  assert.ok(n >= 2, `${n} branches rated`);
  // Every component is shown, transfers handled in time among them ("—" where a branch held
  // no transfer step this quarter).
  assert.match(await rows.first().innerText(), /转接及时 (\d+|—)/);
  // The branch founded two months ago is not rated.
  assert.equal(await page.locator('table.ratings', { hasText: '测试与质量党支部' }).count(), 0);
  // Publishing before every rating is confirmed is refused with a reason.
  await page.getByRole('button', { name: '发布本期评定' }).click();
  await page.getByText('还有未确认的评定').waitFor();
  // Adjusting without a reason is refused; with one it is kept.
  const first = rows.first();
  await first.locator('select[name=stars]').selectOption('5');
  await first.getByRole('button', { name: '确认' }).click();
  await page.getByText('调整星级时请写明理由').waitFor();
  await first.locator('input[name=reason]').fill('组织生活开展扎实');
  await first.getByRole('button', { name: '确认' }).click();
  await page.locator('table.ratings').getByText('组织生活开展扎实').waitFor();
  assert.equal(await page.locator('table.ratings tbody tr').first().locator('.stars').innerText(), '★★★★★');
  for (let i = 0; i < n; i++) {
    const row = page.locator('table.ratings tbody tr').nth(i);
    if (await row.getByText('待确认').count()) {
      await row.getByRole('button', { name: '确认' }).click();
      await row.getByText('已确认').waitFor();
    }
  }
  await page.getByRole('button', { name: '发布本期评定' }).click();
  await page.getByText(/已发布 \d+ 个支部的评定/).waitFor();
  await chartDrawn(page.locator('figure.chart-card').first());
  await shot(page, 'ratings');
  assert.deepEqual(page.errors.filter((e) => !/status of 409/.test(e)), []);
  await context.close();
});
