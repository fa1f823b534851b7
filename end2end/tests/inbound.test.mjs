// Transferring in from outside the platform on a phone: 陈团, whose Party relationship is
// held by her university, types in the paper letter (a wrong month first: refused beside
// the field, the rest kept); the branch's secretary accepts it, and she is a member of the
// branch with the letter's status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated, go, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Last month, as the form writes it (Asia/Shanghai).
function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('a member transfers in with a paper letter and the branch accepts it', async () => {
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'leaguesec');
    await go(page, '/transfers');
    await page.getByRole('link', { name: '从平台外转入' }).click();
    await page.waitForURL('**/transfers/in');
    await hydrated(page);
    const form = page.getByTestId('inbound-form');
    const value = await form.locator('#f-target option', { hasText: '前端开发党支部' }).first().getAttribute('value');
    await form.locator('#f-target').selectOption(value);
    await form.locator('#f-outside_org').fill('某某大学计算机学院党委');
    await form.locator('#f-letter_no').fill('2026-0815');
    await form.locator('#f-status').selectOption('full');
    await form.locator('#f-dues').fill('2026-13');
    await form.getByRole('button', { name: '提交转入' }).click();
    await page.locator('.field.invalid #f-dues').waitFor();
    assert.equal(await page.locator('#f-letter_no').inputValue(), '2026-0815');
    await page.locator('#f-dues').fill(lastMonth());
    await page.getByTestId('inbound-form').getByRole('button', { name: '提交转入' }).click();
    await page.getByTestId('inbound-mine').getByText('待接收').waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'inbound-started');
    assert.deepEqual(page.errors, []);
    await context.close();
  }
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'secretary');
    await go(page, '/transfers/in');
    await hydrated(page);
    const waiting = page.getByTestId('inbound-waiting');
    await waiting.getByText(/陈团 · 某某大学计算机学院党委 → 前端开发党支部/).waitFor();
    await shot(page, 'inbound-waiting');
    await waiting.getByRole('button', { name: '接收' }).click();
    await page.getByTestId('inbound-waiting').waitFor({ state: 'detached' });
    assert.deepEqual(page.errors, []);
    await context.close();
  }
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'leaguesec');
    await go(page, '/me');
    await page.getByText('前端开发党支部').first().waitFor();
    await go(page, '/transfers/in');
    await page.getByTestId('inbound-mine').getByText('已接收').waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});
