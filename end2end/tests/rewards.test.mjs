// 积分兑换: a member spends points on a reward their company's committee offers and sees the
// spending in the ledger; the company admin's offer with a wrong cost is refused with the
// limit and the typed fields kept, then the admin marks the member's redemption ready and
// the member sees it so, in Chinese and in English.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, go, hydrated, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const REWARD = '青年之家会议室优先预约';

test('a member redeems a reward and the committee hands it out', async () => {
  const member = await phone(browser);
  await signIn(member.page, 'member');
  await go(member.page, '/points');
  await member.page.getByTestId('rewards-link').click();
  await member.page.waitForURL('**/points/rewards');
  await hydrated(member.page);
  const balance = async () => Number((await member.page.locator('[data-testid=balance] .big-figure').innerText()).trim());
  const before = await balance();
  assert.ok(before >= 10, `the demo member has ${before} points to spend`);
  const row = member.page.getByTestId('reward').filter({ hasText: REWARD });
  await row.getByRole('button', { name: '兑换' }).click();
  await member.page.getByText('兑换成功，请等待组织通知领取。').waitFor();
  await member.page.getByTestId('redemption').filter({ hasText: REWARD }).filter({ hasText: '待发放' }).waitFor();
  assert.equal(await balance(), before - 10);
  await assertNoSidewaysScroll(member.page, assert);
  await shot(member.page, 'rewards');
  // The ledger on 积分 shows the spending.
  await go(member.page, '/points');
  await member.page.locator('.ledger-row').filter({ hasText: REWARD }).filter({ hasText: '-10' }).first().waitFor();

  // The company admin: from the committee's page to its rewards.
  const admin = await phone(browser);
  await signIn(admin.page, 'orgadmin');
  await admin.page.getByRole('link', { name: '组织管理', exact: true }).click();
  await admin.page.waitForURL('**/admin/orgs');
  await admin.page.getByText('星云科技党委').first().click();
  await admin.page.waitForURL(/\/admin\/orgs\/\d+$/);
  await admin.page.getByRole('link', { name: '积分兑现' }).click();
  await admin.page.waitForURL(/\/points\/rewards\/manage\?org=\d+$/);
  await hydrated(admin.page);
  // A cost of 0 is refused with its limit; what was typed stays.
  await admin.page.fill('#f-title', '团史读本');
  await admin.page.fill('#f-cost', '0');
  await admin.page.fill('#f-stock', '50');
  await admin.page.getByRole('button', { name: '发布' }).click();
  await admin.page.getByText('所需积分应为 1 到 100000 的整数。').waitFor();
  assert.equal(await admin.page.locator('#f-title').inputValue(), '团史读本');
  await admin.page.fill('#f-cost', '15');
  await admin.page.getByRole('button', { name: '发布' }).click();
  await admin.page.getByTestId('offered').filter({ hasText: '团史读本' }).waitFor();
  const waiting = admin.page.getByTestId('redemption').filter({ hasText: REWARD }).filter({ hasText: '待发放' }).first();
  await waiting.getByRole('button', { name: '已备好' }).click();
  await admin.page.getByTestId('redemption').filter({ hasText: REWARD }).filter({ hasText: '可领取' }).first().waitFor();
  await assertNoSidewaysScroll(admin.page, assert);
  await shot(admin.page, 'rewards-manage');

  // The member sees it ready, and is told; then the same page in English.
  await go(member.page, '/points/rewards');
  await member.page.getByTestId('redemption').filter({ hasText: REWARD }).filter({ hasText: '可领取' }).waitFor();
  await member.page.getByTestId('reward').filter({ hasText: '团史读本' }).waitFor();
  await go(member.page, '/me/notices');
  await member.page.getByText(`你兑换的「${REWARD}」已备好`).first().waitFor();
  await member.context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
  await go(member.page, '/points/rewards');
  await member.page.getByRole('heading', { name: 'What I redeemed' }).waitFor();
  await member.page.getByTestId('redemption').filter({ hasText: 'Ready' }).waitFor();
  await shot(member.page, 'rewards-en');
  assert.deepEqual(member.page.errors, []);
  assert.deepEqual(admin.page.errors, []);
});
