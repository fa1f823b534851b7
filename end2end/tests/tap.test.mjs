// Every control a thumb reaches on the pages the walk measured is at least 44 px tall: the
// 去完成 links on 积分, the month arrows on 组织生活, 排行's 保存 and chart-data toggles, and an
// admin's breadcrumbs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, go } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The visible elements matching `selector`: at least one, each 44 px tall or more.
async function tall(page, selector) {
  const heights = await page.locator(selector).evaluateAll((els) => els
    .filter((e) => e.offsetParent !== null)
    .map((e) => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height]));
  assert.ok(heights.length > 0, `${page.url()}: nothing visible matches ${selector}`);
  for (const [text, h] of heights) {
    assert.ok(h >= 44, `${page.url()}: ${selector} "${text}" is ${h.toFixed(1)} px tall`);
  }
}

test('tap targets on 积分, 组织生活, 排行 and the organization pages are at least 44 px tall', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await go(page, '/points');
  await tall(page, '.earn-link');
  await go(page, '/orglife');
  await tall(page, '.pager a');
  await go(page, '/rankings');
  await tall(page, 'button.btn.small');
  await tall(page, '.chart-card details summary');
  await context.close();

  const admin = await phone(browser);
  await signIn(admin.page, 'orgadmin');
  await go(admin.page, '/admin/orgs');
  await admin.page.fill('input[type=search]', '前端');
  await admin.page.getByText('前端开发党支部').first().click();
  await admin.page.waitForURL(/\/admin\/orgs\/\d+$/);
  await tall(admin.page, '.crumbs a');
  await tall(admin.page, '.link-button');
  await admin.context.close();
});
