// Dues on a phone: a member three months behind sees what is due, pays three months through
// the payment provider, and prints the receipt; the branch's dues officer sees the member
// paid up, confirms another member's online payment waiting from before, and sees who is
// behind; the member's page in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated, go, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// This month and the months around it, as the pages write them (Asia/Shanghai).
function month(offset) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('a member pays three months through the provider and prints the receipt; the branch sees it', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  // 我的 says how far the Party dues are paid and how many months are behind.
  const line = page.getByTestId('me-dues').first();
  await line.waitFor();
  assert.match(await line.innerText(), new RegExp(`已交至 ${month(-3)}[\\s\\S]*欠交 2 个月`));
  await line.click();
  await page.waitForURL('**/me/dues');
  await hydrated(page);
  const party = page.getByTestId('dues-party');
  assert.match(await party.getByTestId('dues-monthly').innerText(), /每月应交 ¥120\.00/);
  assert.match(await party.getByTestId('dues-due').innerText(), /待交 3 个月，共 ¥360\.00/);
  assert.equal(await party.locator('#f-months').inputValue(), '3');

  // Thirteen months is refused with a message beside the field; nothing is paid.
  await party.locator('#f-months').fill('13');
  await party.getByRole('button', { name: '交纳', exact: true }).click();
  await party.getByText('一次可交 1 到 12 个月。').waitFor();
  assert.equal(await party.locator('#f-months').inputValue(), '13');
  assert.equal(await page.getByTestId('dues-payment').count(), 0);

  await party.locator('#f-months').fill('3');
  await party.getByRole('button', { name: '交纳', exact: true }).click();
  const paid = page.getByTestId('dues-payment').first();
  await paid.getByText('已缴').waitFor();
  assert.match(await paid.innerText(), new RegExp(`${month(-2)} – ${month(0)} · ¥360\\.00`));
  assert.equal(await party.getByTestId('dues-paid-up-to').innerText(), `已交至 ${month(0)}`);
  assert.match(await party.getByTestId('dues-due').innerText(), /已交清/);
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'dues-paid');

  // The receipt, on paper without the tab bar.
  await paid.getByRole('link', { name: '收据' }).click();
  await page.waitForURL(/\/dues\/receipt\/\d+$/);
  await hydrated(page);
  await page.getByText(/DF\d{4}-\d{6}/).waitFor();
  await page.getByText('支付平台').waitFor();
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'dues-receipt-print');
  assert.equal(await page.locator('.tabbar').isVisible(), false, 'no tab bar on paper');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.errors, []);
  await context.close();

  // The dues officer: the member is paid up; the payment waiting from before is confirmed.
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'treasurer');
    await page.getByRole('link', { name: /前端开发党支部/ }).first().click();
    await page.waitForURL(/\/orglife\/dues\?org=\d+$/);
    await hydrated(page);
    const member = page.getByTestId('dues-member').filter({ hasText: '王小明' });
    assert.match(await member.innerText(), new RegExp(`已交至 ${month(0)}[\\s\\S]*已交清`));
    assert.match(await page.getByTestId('dues-branch-summary').innerText(), /欠交 1 人/);
    const waiting = page.locator('[data-testid=dues-payment]', { hasText: '待支部确认' });
    assert.equal(await waiting.count(), 1);
    await page.getByRole('button', { name: '确认到账' }).click();
    await page.getByText('待确认的在线交纳').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid=dues-payment]', { hasText: '已缴' }).count(), 3);
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'dues-branch');
    assert.deepEqual(page.errors, []);
    await context.close();
  }

  // The member's page in English (the language cookie alone: the account keeps Chinese).
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'member');
    await context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
    await go(page, '/me/dues');
    await hydrated(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByText(`Paid up to ${month(0)}`).first().waitFor();
    await page.getByText('All paid').first().waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'dues-en');
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});
