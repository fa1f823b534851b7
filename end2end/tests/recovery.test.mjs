// Getting back into an account on a phone: a member who forgot the password asks for a code
// by text message (the gateway writes it to a file, as a phone would get it), types a wrong
// one first, then sets a new password; the branch secretary issues a reset code in person;
// and a sign-in with a code by text message, in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, phone, go, hydrated, signIn, shot, randomPhone, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The code of the latest text message to `mobile`, waiting for the gateway to send it.
async function codeSentTo(mobile, seen = new Set()) {
  for (let i = 0; i < 100; i++) {
    const text = await readFile(process.env.SMS_FILE, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l.startsWith(mobile + '\t'));
    const code = lines.at(-1)?.match(/\b(\d{6})\b/)?.[1];
    if (code && !seen.has(code)) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no text message reached ${mobile}`);
}

// A newcomer of 前端开发党支部 with a random phone number, signed out again.
async function newcomer(page, name) {
  const mobile = randomPhone();
  await go(page, '/signup?code=QNEJ6688');
  await page.fill('#f-display_name', name);
  await page.fill('#f-phone', mobile);
  await page.fill('#f-password', 'e2e-pass-2026');
  await page.fill('#f-password_confirm', 'e2e-pass-2026');
  await Promise.all([page.waitForURL('**/me'), page.click('form.form button[type=submit]')]);
  await hydrated(page);
  await Promise.all([page.waitForURL('**/signin'), page.getByRole('button', { name: '退出登录' }).click()]);
  await hydrated(page);
  return mobile;
}

test('a member who forgot the password sets a new one with a code by text message', async () => {
  const { context, page } = await phone(browser);
  const mobile = await newcomer(page, '找回' + mobile4());
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await page.waitForURL('**/reset');
  await hydrated(page);
  await page.locator('form').first().locator('#f-phone').fill(mobile);
  await page.getByRole('button', { name: '发送验证码' }).click();
  await page.getByTestId('code-sent').waitFor();
  assert.match(await page.getByTestId('code-sent').innerText(), /10 分钟内有效/);
  const code = await codeSentTo(mobile);

  // A wrong code: one plain message beside the code, what was typed is kept.
  await page.fill('#f-login', mobile);
  await page.fill('#f-code', code === '000000' ? '111111' : '000000');
  await page.fill('#f-password', 'found-again-2026');
  await page.fill('#f-password_confirm', 'found-again-2026');
  await page.getByRole('button', { name: '设置新密码并登录' }).click();
  await page.getByText('验证码不正确或已失效').first().waitFor();
  assert.equal(await page.inputValue('#f-login'), mobile);
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'reset-wrong-code');

  await page.fill('#f-code', code);
  await page.fill('#f-password', 'found-again-2026');
  await page.fill('#f-password_confirm', 'found-again-2026');
  await Promise.all([page.waitForURL('**/me'), page.getByRole('button', { name: '设置新密码并登录' }).click()]);
  await hydrated(page);
  await page.getByText('我的组织').waitFor();

  // The old password is gone, the new one works.
  const other = await phone(browser);
  await go(other.page, '/signin');
  await other.page.fill('#f-login', mobile);
  await other.page.fill('#f-password', 'e2e-pass-2026');
  await other.page.click('form.form button[type=submit]');
  await other.page.getByRole('alert').filter({ hasText: '账号或密码不正确' }).waitFor();
  await signIn(other.page, mobile, 'found-again-2026');
  assert.deepEqual(page.errors, []);
  await other.context.close();
  await context.close();
});

test('the branch secretary issues a reset code that the member uses', async () => {
  const { context, page } = await phone(browser);
  const name = '重置' + mobile4();
  const mobile = await newcomer(page, name);
  await signIn(page, 'secretary');
  await page.getByRole('link', { name: '组织管理', exact: true }).click();
  await page.waitForURL('**/admin/orgs');
  await page.getByText('前端开发党支部').first().click();
  await page.waitForURL(/\/admin\/orgs\/\d+$/);
  await hydrated(page);
  const row = page.locator('tr', { hasText: name });
  await row.getByRole('button', { name: '签发重置码' }).click();
  const issued = page.getByTestId('reset-code');
  await issued.waitFor();
  const code = (await issued.innerText()).match(/([A-HJKMNP-Z2-9]{8})/)[1];
  assert.match(await issued.innerText(), new RegExp(`${name} 的重置码`));
  await shot(page, 'reset-code-issued');
  await go(page, '/me');
  await Promise.all([page.waitForURL('**/signin'), page.getByRole('button', { name: '退出登录' }).click()]);

  await go(page, '/reset');
  await page.fill('#f-login', mobile);
  await page.fill('#f-code', code.toLowerCase());
  await page.fill('#f-password', 'from-secretary-2026');
  await page.fill('#f-password_confirm', 'from-secretary-2026');
  await Promise.all([page.waitForURL('**/me'), page.getByRole('button', { name: '设置新密码并登录' }).click()]);
  await hydrated(page);
  await page.getByText(name).first().waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('signing in with a code by text message, in English', async () => {
  const { context, page } = await phone(browser);
  const mobile = await newcomer(page, '短信' + mobile4());
  await context.addCookies([{ name: 'lang', value: 'en', url: page.url() }]);
  await go(page, '/signin');
  await page.getByRole('link', { name: 'Sign in with a code by text message' }).click();
  await page.waitForURL('**/signin/sms');
  await hydrated(page);
  await page.locator('form').first().locator('#f-phone').fill(mobile);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByTestId('code-sent').waitFor();
  const code = await codeSentTo(mobile);
  const form = page.locator('form').nth(1);
  await form.locator('#f-number').fill(mobile);
  await form.locator('#f-code').fill('12');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The code is wrong or no longer valid').first().waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'sms-sign-in-en');
  await page.locator('form').nth(1).locator('#f-code').fill(code);
  await Promise.all([page.waitForURL('**/me'), page.locator('form').nth(1).getByRole('button', { name: 'Sign in' }).click()]);
  await hydrated(page);
  // Signed in, the account's own language (Chinese, chosen at sign-up) comes back.
  await page.getByText('我的组织').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

function mobile4() {
  return String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
}
