// Notices and the annual evaluation on phones: the secretary sends a notice to the branch,
// a member acknowledges it (签阅) and the secretary sees who has; the secretary opens the
// secret ballot and a member grades everyone on the roll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, go, shot, hydrated, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a secretary sends a notice, a member acknowledges it, and the secretary sees who has', async () => {
  const sec = await phone(browser);
  await signIn(sec.page, 'secretary');
  await go(sec.page, '/orglife/notices');
  await sec.page.getByRole('link', { name: '发通知' }).click();
  await sec.page.waitForURL('**/orglife/notices/new');
  await hydrated(sec.page);
  await sec.page.fill('#f-title', '关于开展十二月主题党日的通知');
  await sec.page.fill('#f-days', '0');
  await sec.page.getByRole('button', { name: '发送' }).click();
  await sec.page.getByText('签阅期限请填 1 到 30 天').waitFor();
  assert.equal(await sec.page.inputValue('#f-title'), '关于开展十二月主题党日的通知', 'what was typed stays');
  await sec.page.fill('#f-body', '请各位党员于 12 月 15 日 19:00 到星云大厦 3 楼参加主题党日活动。');
  await sec.page.fill('#f-days', '3');
  await Promise.all([sec.page.waitForURL(/\/orglife\/notices\/\d+$/), sec.page.getByRole('button', { name: '发送' }).click()]);
  const notice = new URL(sec.page.url()).pathname;
  await hydrated(sec.page);
  await sec.page.getByText(/签阅情况 0\/\d+/).waitFor();

  const member = await phone(browser);
  await signIn(member.page, 'member');
  await member.page.locator('.tab-badge').waitFor();
  await go(member.page, '/orglife/notices');
  await member.page.getByText('待签阅').first().waitFor();
  await member.page.getByRole('link', { name: /关于开展十二月主题党日的通知/ }).click();
  await member.page.waitForURL(`**${notice}`);
  await hydrated(member.page);
  await member.page.getByRole('button', { name: '签阅' }).click();
  await member.page.getByText(/你已于 .* 签阅/).waitFor();
  await assertNoSidewaysScroll(member.page, assert);
  await shot(member.page, 'notice-acknowledged');

  await sec.page.reload();
  await hydrated(sec.page);
  await sec.page.getByText(/签阅情况 1\/\d+/).waitFor();
  await sec.page.getByText(/王小明 · /).waitFor();
  await shot(sec.page, 'notice-receipts');
  for (const p of [sec.page, member.page]) assert.deepEqual(p.errors, []);
  await sec.context.close();
  await member.context.close();
});

test('a secretary opens the secret ballot and a member grades everyone once', async () => {
  const sec = await phone(browser);
  await signIn(sec.page, 'secretary');
  await go(sec.page, '/orglife/evaluation');
  await sec.page.getByRole('button', { name: '发起今年的民主评议' }).click();
  await sec.page.getByText(/已投票 0 \/ \d+ 人/).waitFor();

  const member = await phone(browser);
  await signIn(member.page, 'member');
  await go(member.page, '/orglife/evaluation');
  const rows = member.page.locator('fieldset.grade-row');
  const n = await rows.count();
  assert.ok(n >= 3, `the roll has the branch's members (${n})`);
  // Leaving one member ungraded is refused, with the grades kept.
  for (let i = 0; i < n - 1; i++) await rows.nth(i).getByLabel('合格', { exact: true }).check();
  await member.page.getByRole('button', { name: '提交选票' }).click();
  await member.page.getByText('请为名单上的每一位成员').waitFor();
  assert.ok(await rows.nth(0).getByLabel('合格', { exact: true }).isChecked());
  await rows.nth(n - 1).getByLabel('优秀').check();
  await member.page.getByRole('button', { name: '提交选票' }).click();
  await member.page.getByText('你已投票，谢谢。').waitFor();
  await member.page.getByText(/已投票 1 \/ \d+ 人/).waitFor();
  assert.equal(await member.page.locator('fieldset.grade-row').count(), 0, 'one ballot each');
  await shot(member.page, 'evaluation-voted');
  for (const p of [sec.page, member.page]) assert.deepEqual(p.errors, []);
  await sec.context.close();
  await member.context.close();
});

test('a member chooses reminders by text message and e-mail with quiet hours, after wrong choices', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'youth');
  await go(page, '/me/notices');
  await page.getByRole('heading', { name: '提醒方式' }).waitFor();
  const meetingsBySms = 'input[name="channels[sms:meeting]"]';
  const duesByMail = 'input[name="channels[email:dues]"]';
  // Quiet hours with one end, and an address that is not one: both told, what was ticked
  // and typed kept.
  await page.check(meetingsBySms);
  await page.check(duesByMail);
  await page.fill('#f-email', 'linqing@example');
  await page.selectOption('#f-quiet_from', '22');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('免打扰时段请选择开始和结束两个不同的整点').first().waitFor();
  await page.getByText('邮箱格式不正确').first().waitFor();
  assert.equal(await page.inputValue('#f-email'), 'linqing@example');
  assert.ok(await page.isChecked(duesByMail));
  await shot(page, 'notice-prefs-wrong');
  await page.check(meetingsBySms);
  await page.check(duesByMail);
  await page.fill('#f-email', 'linqing@example.com');
  await page.selectOption('#f-quiet_from', '22');
  await page.selectOption('#f-quiet_to', '8');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存').first().waitFor();
  await go(page, '/me/notices');
  assert.ok(await page.isChecked(meetingsBySms));
  assert.ok(await page.isChecked(duesByMail));
  assert.ok(!(await page.isChecked('input[name="channels[email:meeting]"]')));
  assert.equal(await page.inputValue('#f-email'), 'linqing@example.com');
  assert.equal(await page.inputValue('#f-quiet_from'), '22');
  assert.equal(await page.inputValue('#f-quiet_to'), '8');
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'notice-prefs');
  // In English.
  await context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
  await go(page, '/me/notices');
  await page.getByRole('heading', { name: 'How you are reminded' }).waitFor();
  await page.getByText('Dues behind').first().waitFor();
  await shot(page, 'notice-prefs-en');
  assert.deepEqual(page.errors, []);
  await context.close();
});
