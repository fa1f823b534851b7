// Studying on a phone: open a demo article from the 学习 tab, stay with it until the server
// counts it as read, and see the 积分 tab move. Takes about 40 seconds of real reading time:
// the server credits only time it has measured between heartbeats.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a member reads a demo article until it counts, and the 积分 tab shows it', { timeout: 120_000 }, async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await page.getByRole('link', { name: '学习' }).click();
  await page.waitForURL('**/study');
  await page.getByRole('heading', { name: '必修' }).waitFor();
  // Another company's article is not offered.
  assert.equal(await page.getByText('极光网络支部书记工作手册').count(), 0);
  await shot(page, 'study');

  await page.getByRole('link', { name: /青年e家使用指南/ }).first().click();
  await page.waitForURL(/\/study\/\d+$/);
  await hydrated(page);
  await page.bringToFront();
  await page.locator('.meter.done').waitFor({ timeout: 90_000 });
  assert.match(await page.locator('.meter').innerText(), /已完成/);
  await shot(page, 'article');

  await page.getByRole('link', { name: '积分' }).click();
  await page.waitForURL('**/points');
  const read = page.locator('.progress-row', { hasText: '阅读文章' });
  assert.equal(await read.locator('.progress-count').innerText(), '1/6');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a secretary writes an article for the branch, previews it and publishes it', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'secretary');
  await page.getByRole('link', { name: '学习内容管理' }).click();
  await page.waitForURL('**/admin/content');
  await page.getByRole('link', { name: '新建内容' }).click();
  await page.waitForURL('**/admin/content/new');
  await hydrated(page);
  await page.fill('#f-title', '');
  await page.click('form.form button[type=submit]');
  await page.locator('#f-title-err').filter({ hasText: '请填写此项' }).waitFor();
  await page.fill('#f-title', '前端支部本周学习');
  await page.fill('#f-body', '## 本周\n\n请阅读**开发规范**。');
  await page.fill('#f-tags', '支部, 规范');
  await Promise.all([page.waitForURL(/\/admin\/content\/\d+$/), page.click('form.form button[type=submit]')]);
  await page.getByRole('heading', { name: '预览（已保存的版本）' }).waitFor();
  assert.equal(await page.locator('.prose strong').innerText(), '开发规范');
  await page.getByRole('button', { name: '发布' }).click();
  await page.getByRole('button', { name: '下架' }).waitFor();
  await shot(page, 'editor');
  assert.deepEqual(page.errors, []);
  await context.close();
});
