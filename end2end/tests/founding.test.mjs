// One-step League founding on a phone: an enterprise applies without an account, is matched
// against the ledger, and the demo street, district and city reviewers approve it in turn;
// the new branch is in the tree and the applicant's tracking page shows the secretary's link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, go, shot, hydrated, chartDrawn, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function approveAs(login, levelAfter) {
  const { context, page } = await phone(browser);
  await signIn(page, login);
  await page.getByRole('link', { name: '建团审核' }).click();
  await page.waitForURL('**/league/review');
  await hydrated(page);
  await page.getByRole('link', { name: /待我审核 1/ }).waitFor();
  await page.getByRole('link', { name: /星海互动科技有限公司/ }).click();
  await page.waitForURL(/\/league\/review\/\d+/);
  await hydrated(page);
  await page.getByText('已按统一社会信用代码匹配到台账').first().waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, `founding-review-${login}`);
  await page.getByRole('button', { name: '同意', exact: true }).click();
  await page.getByText(levelAfter).first().waitFor();
  assert.equal(await page.getByRole('button', { name: '同意', exact: true }).count(), 0, 'the step is no longer theirs');
  assert.deepEqual(page.errors, []);
  await context.close();
}

// 南山区's coverage as the city reviewer's dashboard shows it, in its table.
async function nanshanCoverage() {
  const { context, page } = await phone(browser);
  await signIn(page, 'leagueadmin');
  await page.getByRole('link', { name: '建团覆盖率' }).click();
  await page.waitForURL('**/league/coverage');
  await hydrated(page);
  const row = page.getByRole('link', { name: /南山区/ });
  const text = await row.innerText();
  // ECharts draws the bars from our own origin.
  await chartDrawn(page.locator('figure.chart-card', { hasText: '各区覆盖率' }));
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'founding-coverage');
  assert.deepEqual(page.errors, []);
  await context.close();
  return Number(/([\d.]+)%/.exec(text)[1]);
}

test('an enterprise applies, the street, district and city approve, and its branch is founded', async () => {
  const before = await nanshanCoverage();
  const applicant = await phone(browser);
  const page = applicant.page;
  await go(page, '/signin');
  await page.getByRole('link', { name: '企业申请建团' }).click();
  await page.waitForURL('**/league/apply');
  await hydrated(page);
  await page.fill('#f-enterprise_name', '星海互动科技有限公司');
  await page.fill('#f-credit_code', '91440300MA5N100014');
  await page.fill('#f-young_employees', '120');
  // Wrong first: more League members than young employees.
  await page.fill('#f-league_members', '200');
  await page.fill('#f-contact_name', '陈静');
  await page.fill('#f-contact_phone', '13912345678');
  await page.fill('#f-secretary_name', '刘洋');
  await page.fill('#f-secretary_phone', '13987654321');
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.getByText('团员人数不能多于青年职工人数').waitFor();
  assert.equal(await page.inputValue('#f-secretary_name'), '刘洋', 'what was typed stays');
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'founding-apply-error');
  await page.fill('#f-league_members', '20');
  await Promise.all([page.waitForURL(/\/league\/track\//), page.getByRole('button', { name: '提交申请' }).click()]);
  await hydrated(page);
  await page.getByText('当前审核：街道团工委').waitFor();
  // The applicant sees what they sent and the reviewers' messages, nothing of the ledger.
  await page.getByText('已提交，等待审核').first().waitFor();
  assert.equal(await page.getByText('已按统一社会信用代码匹配到台账').count(), 0);
  const trackUrl = page.url();
  await shot(page, 'founding-tracking-submitted');

  await approveAs('streetadmin', '当前审核：区团委');
  await approveAs('districtadmin', '当前审核：市团委');
  await approveAs('leagueadmin', '已建立：星海互动科技有限公司团支部');

  // The applicant's link shows the founding and the secretary's sign-up link.
  await page.goto(trackUrl);
  await hydrated(page);
  await page.getByText('已批准建团').waitFor();
  await page.getByText('已建立：星海互动科技有限公司团支部').waitFor();
  const link = await page.locator('a.copy-text').innerText();
  assert.match(link, /^http.*\/signup\?code=[A-Z0-9]{8}$/);
  // The whole link is on screen, and 复制链接 puts it on the clipboard.
  const box = await page.locator('a.copy-text').boundingBox();
  assert.ok(box.x + box.width <= 390, `the link runs to ${box.x + box.width} px`);
  await applicant.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: '复制链接' }).click();
  await page.getByRole('button', { name: '已复制' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'founding-tracking-approved');
  assert.deepEqual(page.errors, []);
  await applicant.context.close();

  // The new branch is in the League tree under 粤海街道团工委.
  const admin = await phone(browser);
  await signIn(admin.page, 'leagueadmin');
  await go(admin.page, '/admin/orgs?tree=league');
  await admin.page.getByText('粤海街道团工委').first().click();
  await admin.page.getByText('星海互动科技有限公司团支部').first().waitFor();
  await shot(admin.page, 'founding-tree');
  await admin.context.close();

  // And 南山区's coverage went up.
  const after = await nanshanCoverage();
  assert.ok(after > before, `coverage of 南山区 went from ${before}% to ${after}%`);
});
