// A transfer on a phone: a demo member asks to move to a branch of another company; the
// sending branch, the sending committee and the city's committee act in turn from their
// queues; the letter prints; the member is then in the new branch's roster and board.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated, go, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Opens the first transfer of `who` in the approver's 待办, presses 同意 and waits until the
// timeline's current step is `next` (the approval has landed, not only been sent).
async function approveFromQueue(page, who, next, { validity } = {}) {
  await go(page, '/transfers');
  await page.getByRole('link', { name: /待办/ }).click();
  await page.waitForURL('**/transfers/queue?tab=todo');
  await hydrated(page);
  await page.getByRole('link', { name: new RegExp(who) }).first().click();
  await page.waitForURL(/\/transfers\/\d+$/);
  await hydrated(page);
  if (validity) await page.fill('#f-validity', validity);
  await page.getByRole('button', { name: '同意', exact: true }).click();
  await page.locator('.timeline .step.current', { hasText: next }).waitFor();
}

test('a member moves to another company and three approvers take it through', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'mover');
  await page.getByRole('link', { name: '组织关系转接' }).click();
  await page.waitForURL('**/transfers');
  await hydrated(page);
  await page.getByRole('link', { name: '发起转接' }).click();
  await page.waitForURL('**/transfers/new');
  await hydrated(page);
  await page.fill('#f-q', '平台研发');
  await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: '查看' }).click()]);
  await hydrated(page);
  await page.getByLabel(/平台研发党支部/).check();
  await page.fill('#f-reason', '入职极光网络科技有限公司平台研发部');
  // A wrong month first: the message says what is wrong and keeps what was typed.
  await page.fill('#f-dues', '2026/13');
  await page.getByRole('button', { name: '提交转接申请' }).click();
  await page.getByText('请按“年-月”填写').waitFor();
  assert.equal(await page.inputValue('#f-reason'), '入职极光网络科技有限公司平台研发部');
  await page.fill('#f-dues', '2026-10');
  await page.getByRole('button', { name: '提交转接申请' }).click();
  await page.waitForURL(/\/transfers\/\d+$/);
  await hydrated(page);
  const url = page.url();
  await page.getByText('转出支部确认').waitFor();
  // Whoever can act on the waiting step is named, and the member may remind them once a day.
  assert.match(await page.getByTestId('transfer-acting').innerText(), /^可办理：\S/);
  await page.getByRole('button', { name: '提醒办理人' }).click();
  await page.getByTestId('transfer-reminded').waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'transfer-started');
  assert.deepEqual(page.errors, []);
  await context.close();

  // The sending branch's secretary, then the company committee (who issues the letter).
  for (const [login, next, validity] of [['secretary', '转出党委'], ['orgadmin', '接收党委', '45']]) {
    const { context, page } = await phone(browser);
    await signIn(page, login);
    await approveFromQueue(page, '赵一鸣', next, { validity });
    if (login === 'orgadmin') {
      await page.getByText(/〔\d{4}〕第\d{4}号/).first().waitFor();
      await shot(page, 'transfer-letter-issued');
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  }

  // The city's committee approves for 极光网络党委 and accepts for the receiving branch.
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'cityadmin');
    await approveFromQueue(page, '赵一鸣', '接收支部接收');
    await page.getByRole('button', { name: '同意', exact: true }).click();
    await page.locator('.tag', { hasText: '已办结' }).first().waitFor();
    await shot(page, 'transfer-completed');

    // The letter prints on A4 with its counterfoil.
    await page.getByRole('link', { name: '打印介绍信' }).click();
    await page.waitForURL(/\/letter$/);
    await hydrated(page);
    await page.getByText('存根').waitFor();
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'transfer-letter-print');
    assert.equal(await page.locator('.tabbar').isVisible(), false, 'no tab bar on paper');
    await page.emulateMedia({ media: 'screen' });

    // The receiving branch's roster now has the member.
    await go(page, '/admin/orgs');
    await page.fill('input[type=search]', '平台研发党支部');
    await page.press('input[type=search]', 'Enter');
    await page.waitForURL(/q=/);
    await page.getByText('平台研发党支部').first().click();
    await page.waitForURL(/\/admin\/orgs\/\d+$/);
    await page.getByRole('heading', { name: '支部成员' }).waitFor();
    await page.getByText('赵一鸣').first().waitFor();

    // The overdue board lists the demo transfer that has waited at 极光网络党委.
    await go(page, '/transfers/overdue');
    await page.getByRole('cell', { name: '极光网络党委' }).waitFor();
    await shot(page, 'transfer-overdue');
    assert.deepEqual(page.errors, []);
    await context.close();
  }

  // The member is in the new branch: its board, and the timeline says it is done.
  {
    const { context, page } = await phone(browser);
    await signIn(page, 'mover');
    await go(page, new URL(url).pathname);
    await page.locator('.tag', { hasText: '已办结' }).first().waitFor();
    await go(page, '/rankings');
    await page.locator('select[name=scope] option', { hasText: '平台研发党支部' }).first().waitFor({ state: 'attached' });
    await page.getByText('赵一鸣').first().waitFor();
    await shot(page, 'transfer-board');
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});
