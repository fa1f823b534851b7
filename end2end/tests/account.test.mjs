// Accounts as a member sees them on a phone: sign up with a demo code, switch language,
// sign out, sign in again; sign in with JavaScript off; wrong input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, go, hydrated, signIn, shot, randomPhone, assertNoSidewaysScroll, PASSWORD, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a newcomer signs up with a demo code, switches to English and back, signs out and in', async () => {
  const { context, page } = await phone(browser);
  const mobile = randomPhone();
  await go(page, '/signup?code=QNEJ6688');
  assert.equal(await page.inputValue('#f-code'), 'QNEJ6688');
  await page.fill('#f-display_name', '测试新人');
  await page.fill('#f-phone', mobile);
  await page.fill('#f-password', 'e2e-pass-2026');
  await page.fill('#f-password_confirm', 'e2e-pass-2026');
  await Promise.all([page.waitForURL('**/me'), page.click('form.form button[type=submit]')]);
  await hydrated(page);
  await page.getByText('测试新人').first().waitFor();
  assert.ok(await page.getByText('前端开发党支部').isVisible());
  assert.ok(await page.getByText('我的组织').isVisible());
  await shot(page, 'me-zh');

  await Promise.all([page.waitForLoadState('load'), page.click('.lang-switch button[value=en]')]);
  await page.getByText('My organizations').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await hydrated(page);
  await shot(page, 'me-en');
  await Promise.all([page.waitForLoadState('load'), page.click('.lang-switch button[value=zh-CN]')]);
  await page.getByText('我的组织').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await hydrated(page);

  await Promise.all([page.waitForURL('**/signin'), page.getByRole('button', { name: '退出登录' }).click()]);
  await hydrated(page);
  await signIn(page, mobile, 'e2e-pass-2026');
  await page.getByText('测试新人').first().waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a wrong password shows one plain message and keeps the login typed', async () => {
  const { context, page } = await phone(browser);
  await go(page, '/signin');
  await page.fill('#f-login', 'member');
  await page.fill('#f-password', 'not-my-password');
  await page.click('form.form button[type=submit]');
  await page.getByRole('alert').filter({ hasText: '账号或密码不正确' }).waitFor();
  assert.equal(await page.inputValue('#f-login'), 'member');
  assert.match(page.url(), /\/signin/);
  await shot(page, 'signin-error');
  await context.close();
});

test('sign-up with a wrong code says so beside the code and keeps what was typed', async () => {
  const { context, page } = await phone(browser);
  await go(page, '/signup');
  await page.fill('#f-code', 'WXYZ2345');
  await page.fill('#f-display_name', '张三');
  await page.fill('#f-phone', randomPhone());
  await page.fill('#f-password', 'e2e-pass-2026');
  await page.fill('#f-password_confirm', 'e2e-pass-2026');
  await page.click('form.form button[type=submit]');
  await page.locator('#f-code-err').filter({ hasText: '邀请码不正确' }).waitFor();
  assert.equal(await page.inputValue('#f-display_name'), '张三');
  await context.close();
});

test('sign-in works with JavaScript turned off', async () => {
  const { context, page } = await phone(browser, { javaScriptEnabled: false });
  await go(page, '/signin', { js: false });
  await page.fill('#f-login', 'member');
  await page.fill('#f-password', 'wrong-password');
  await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);
  assert.ok(await page.getByText('账号或密码不正确').isVisible());
  await page.fill('#f-login', 'member');
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL('**/me'), page.click('form.form button[type=submit]')]);
  await page.getByText('王小明').first().waitFor();
  assert.ok(await page.getByText('前端开发党支部').first().isVisible());
  await shot(page, 'me-nojs');
  await context.close();
});

test('pages fit a 360 px wide phone', async () => {
  const { context, page } = await phone(browser, { viewport: { width: 360, height: 740 } });
  await go(page, '/signin');
  await assertNoSidewaysScroll(page, assert);
  await go(page, '/signup');
  await assertNoSidewaysScroll(page, assert);
  await signIn(page, 'orgadmin');
  await assertNoSidewaysScroll(page, assert);
  await go(page, '/admin/orgs');
  await page.getByText('星云科技党委').first().waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'tree-360');
  await context.close();
});

test('an unknown address shows the 404 page', async () => {
  const { context, page } = await phone(browser);
  const res = await page.goto(BASE + '/no/such/page');
  assert.equal(res.status(), 404);
  assert.ok(await page.getByText('页面不存在').first().isVisible());
  await context.close();
});
