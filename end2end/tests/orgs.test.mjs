// The organization pages on a phone: the tree, search, a branch with its roster, and an
// invitation code; and a plain member who may not see them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, go, hydrated, signIn, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a company admin finds a branch in the tree, reads its roster and issues a code', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'orgadmin');
  await page.getByRole('link', { name: '组织管理', exact: true }).click();
  await page.waitForURL('**/admin/orgs');
  await page.getByText('星云科技党委').first().waitFor();
  await shot(page, 'tree');

  // The search is the server's: the phone keyboard's search key sends it.
  await page.fill('input[type=search]', '前端');
  await page.press('input[type=search]', 'Enter');
  await page.waitForURL(/q=%E5%89%8D%E7%AB%AF/);
  await page.getByText('前端开发党支部').first().waitFor();
  assert.equal(await page.getByText('后端开发党支部').count(), 0);
  await page.getByText('前端开发党支部').first().click();
  await page.waitForURL(/\/admin\/orgs\/\d+$/);
  await page.getByRole('heading', { name: '支部成员' }).waitFor();
  await page.getByText('李晓燕').first().waitFor();

  await page.fill('#f-days', '7');
  await page.fill('#f-uses', '3');
  await page.getByRole('button', { name: '生成邀请码' }).click();
  const issued = page.locator('.alert.ok strong.code');
  await issued.waitFor();
  assert.match(await issued.innerText(), /^[A-HJKMNP-Z2-9]{8}$/);
  await shot(page, 'branch');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the League tree is one tap away', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'cityadmin');
  await go(page, '/admin/orgs');
  await page.getByRole('link', { name: '团组织' }).click();
  await page.getByText('市互联网行业团委').first().waitFor();
  assert.match(page.url(), /tree=league/);
  await context.close();
});

test('a plain member is told the organization pages are not theirs', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  assert.equal(await page.getByRole('link', { name: '组织管理', exact: true }).count(), 0);
  await go(page, '/admin/orgs');
  await page.getByText('你没有查看或操作此内容的权限').waitFor();
  await context.close();
});
