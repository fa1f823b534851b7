// A branch's WeChat Work group on a phone: the secretary connects the group robot (a local
// receiver stands in for WeChat Work; a wrong address first), schedules a meeting that the
// group hears of, and the day before the group gets the 24-hour reminder exactly once,
// with the two servers of the test installation both running the job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { launch, phone, signIn, go, shot, hydrated, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
let receiver;
const got = [];
before(async () => {
  browser = await launch();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push({ url: req.url, body: JSON.parse(body || 'null') });
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
});
after(async () => { await browser?.close(); receiver?.close(); });

const shanghai = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
const texts = () => got.map((g) => g.body?.text?.content ?? '');
async function until(check, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`waited ${seconds} s; the group got: ${JSON.stringify(texts())}`);
}

test('a secretary connects the group robot, which hears of a meeting and its 24-hour reminder once', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'secretary');
  await page.getByRole('link', { name: '组织管理', exact: true }).click();
  await page.waitForURL('**/admin/orgs');
  await page.getByText('前端开发党支部').first().click();
  await page.waitForURL(/\/admin\/orgs\/\d+$/);
  await page.getByRole('link', { name: '群机器人' }).click();
  await page.waitForURL(/\/orglife\/robots\?org=\d+/);
  const robots = new URL(page.url());
  await hydrated(page);

  // An address without its https:// is refused with what is wanted; what was typed is kept.
  await page.selectOption('#f-kind', 'wecom');
  await page.fill('#f-url', 'qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('完整 Webhook 地址').first().waitFor();
  assert.equal(await page.inputValue('#f-url'), 'qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc');
  await shot(page, 'robots-wrong-address');

  const port = receiver.address().port;
  // This test installation allows the local receiver (WEBHOOK_ALLOW_PRIVATE).
  await page.selectOption('#f-kind', 'wecom');
  await page.fill('#f-url', `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=e2e-693a91f6-7b1c`);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('robot').first().waitFor();
  assert.match(await page.getByTestId('robot').first().innerText(), /企业微信群机器人/);

  // A meeting three days ahead: the group hears of it.
  const start = Math.ceil(Date.now() / 3600_000) * 3600_000 + 72 * 3600_000;
  const title = '机器人通知测试会';
  await go(page, '/orglife/schedule');
  await page.selectOption('#f-kind', 'group_meeting');
  await page.fill('#f-title', title);
  await page.fill('#f-starts', shanghai(start));
  await page.fill('#f-ends', shanghai(start + 3600_000));
  await page.fill('#f-place', `星云大厦 ${port} 号会议室`);
  await page.fill('#f-chair', '李晓燕');
  await Promise.all([page.waitForURL(/month=/), page.getByRole('button', { name: '安排会议' }).click()]);
  await until(() => texts().some((t) => t.includes(title) && t.includes('定于')), 40);
  assert.equal(got[0].url, '/cgi-bin/webhook/send?key=e2e-693a91f6-7b1c');
  assert.equal(got[0].body.msgtype, 'text');

  // The clock moves to the day before (the meeting is moved in the database): the job on
  // either server sends the 24-hour reminder, once.
  const id = execFileSync('psql', [process.env.E2E_DATABASE_URL, '-qAtc',
    `UPDATE meetings SET starts_at = now() + interval '23 hours 30 minutes', ends_at = now() + interval '24 hours 30 minutes',
            created_at = now() - interval '3 days' WHERE title = '${title}' RETURNING id`]).toString().trim();
  assert.match(id, /^\d+$/);
  const reminded = () => texts().filter((t) => t.includes(title) && t.includes('24 小时后'));
  await until(() => reminded().length > 0, 100);
  // Both servers' jobs run every minute: wait past the next round of each.
  await new Promise((r) => setTimeout(r, 75_000));
  assert.equal(reminded().length, 1, JSON.stringify(texts()));

  await go(page, robots.pathname + robots.search);
  await page.getByTestId('delivery').first().waitFor();
  assert.ok((await page.getByText('已送达').count()) >= 2);
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'robots');
  await context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
  await page.reload();
  await page.getByText('WeChat Work group robot').first().waitFor();
  await shot(page, 'robots-en');
  assert.deepEqual(page.errors, []);
  await context.close();
});
