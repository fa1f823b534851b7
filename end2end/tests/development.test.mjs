// Becoming a member on a phone: the League branch recommends 林青 (推优), the Party branch
// registers her paper application, and she becomes an activist, a development candidate,
// a probationary member and a full member, each step recorded by the right role (the
// branch's secretary, the committee above, herself for the written request) and dated as
// it happened; wrong input on the way is refused with the rule named and nothing saved.
// The committee's figures and the case in English close it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, hydrated, go, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Signs in on a fresh phone and runs `body(page)`; no page errors allowed.
async function as(login, body) {
  const { context, page } = await phone(browser);
  await signIn(page, login);
  await body(page);
  assert.deepEqual(page.errors, [], `${login}: page errors`);
  await context.close();
}

/// On a case's page: opens the form of `step` (its button), fills it and records it.
async function record(page, step, fill) {
  await page.getByTestId('dev-next').getByRole('link', { name: step, exact: true }).click();
  const form = page.getByTestId('dev-form');
  await form.waitFor();
  await hydrated(page);
  await fill(form);
  await form.getByRole('button', { name: '登记' }).click();
}

async function stage(page) {
  return (await page.getByTestId('dev-stage').innerText()).trim();
}

test('a League member recommended by her branch becomes a full Party member, step by step', async () => {
  // The League branch recommends her; a vote without a quorum is refused first.
  await as('leaguesec', async (page) => {
    await go(page, '/orglife/development');
    await hydrated(page);
    const form = page.getByTestId('dev-recommend');
    await pick(form.locator('#f-member'), '林青');
    await form.locator('#f-on').fill('2024-09-10');
    await form.locator('#f-eligible').fill('6');
    await form.locator('#f-present').fill('3');
    await form.locator('#f-in_favour').fill('3');
    await form.getByRole('button', { name: '登记' }).click();
    await page.getByText('到会的有表决权成员须超过应到会人数的一半').waitFor();
    assert.equal(await page.getByTestId('dev-recommendations').getByText('林青').count(), 0);
    const again = page.getByTestId('dev-recommend');
    await pick(again.locator('#f-member'), '林青');
    await again.locator('#f-on').fill('2024-09-10');
    await again.locator('#f-eligible').fill('6');
    await again.locator('#f-present').fill('5');
    await again.locator('#f-in_favour').fill('5');
    await again.getByRole('button', { name: '登记' }).click();
    await page.getByTestId('dev-recommendations').getByText(/林青 · 2024-09-10/).waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'development-tuiyou');
  });

  // The Party branch registers her application of 2024 and records the first steps.
  let caseUrl;
  await as('secretary', async (page) => {
    await go(page, '/orglife/development');
    await hydrated(page);
    const form = page.getByTestId('dev-register');
    await form.locator('#f-login').fill('youth');
    await form.locator('#f-on').fill('2024-09-01');
    await form.getByRole('button', { name: '登记' }).click();
    const row = page.getByTestId('dev-case').filter({ hasText: '林青' });
    await row.waitFor();
    await row.click();
    await page.waitForURL(/\/development\/\d+$/);
    caseUrl = new URL(page.url()).pathname;
    assert.equal(await stage(page), '入党申请人');
    await page.getByTestId('dev-tuiyou').getByText(/前端开发团支部 2024-09-10 推优/).waitFor();

    await record(page, '党组织派人谈话', async (f) => { await f.locator('#f-on').fill('2024-09-15'); });
    await page.getByTestId('dev-step').filter({ hasText: '2024-09-15 · 党组织派人谈话' }).waitFor();
    await record(page, '确定为入党积极分子', async (f) => {
      await f.locator('#f-on').fill('2024-10-01');
      await f.locator('#f-person1').selectOption({ label: '王小明' });
    });
    await page.getByTestId('dev-step').filter({ hasText: '确定为入党积极分子' }).waitFor();
    assert.equal(await stage(page), '入党积极分子');

    // Less than a year as an activist: refused, the rule named, nothing recorded.
    await record(page, '确定为发展对象', async (f) => {
      await f.locator('#f-on').fill('2025-09-30');
      await f.locator('#f-note').fill('听取了党小组、培养联系人和群众意见');
    });
    await page.getByText('入党积极分子须经过一年以上培养教育').waitFor();
    assert.equal(await stage(page), '入党积极分子');
    await shot(page, 'development-refused');
    await record(page, '确定为发展对象', async (f) => {
      await f.locator('#f-on').fill('2025-10-10');
      await f.locator('#f-note').fill('听取了党小组、培养联系人和群众意见');
    });
    await page.getByTestId('dev-step').filter({ hasText: '确定为发展对象' }).waitFor();
    assert.equal(await stage(page), '发展对象');
    await record(page, '确定入党介绍人', async (f) => {
      await f.locator('#f-on').fill('2025-10-11');
      await f.locator('#f-person1').selectOption({ label: '王小明' });
      await f.locator('#f-person2').selectOption({ label: '孙丽' });
    });
    await page.getByText('入党介绍人：').waitFor();
    await record(page, '政治审查', async (f) => {
      await f.locator('#f-on').fill('2025-10-12');
      await f.locator('#f-note').fill('政治审查合格');
    });
    await page.getByTestId('dev-step').filter({ hasText: '政治审查合格' }).waitFor();
    await record(page, '集中培训', async (f) => {
      await f.locator('#f-on').fill('2025-10-20');
      await f.locator('#f-hours').fill('24');
    });
    await page.getByTestId('dev-training').getByText(/培训 24 学时/).waitFor();
    await record(page, '支部大会讨论接收', async (f) => {
      await f.locator('#f-on').fill('2025-11-01');
      await f.locator('#f-eligible').fill('8');
      await f.locator('#f-present').fill('7');
      await f.locator('#f-in_favour').fill('7');
    });
    await page.getByTestId('dev-step').filter({ hasText: '应到 8，到会 7，赞成 7' }).waitFor();
    await page.getByTestId('dev-due').getByText(/上级审批期限：2026-02-01/).waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'development-case');
  });

  // The committee above approves; probation runs from the meeting.
  await as('orgadmin', async (page) => {
    await go(page, caseUrl);
    await hydrated(page);
    await record(page, '上级党委审批', async (f) => { await f.locator('#f-on').fill('2025-11-20'); });
    await page.getByTestId('dev-step').filter({ hasText: '上级党委审批' }).waitFor();
    assert.equal(await stage(page), '预备党员');
  });
  await as('secretary', async (page) => {
    await go(page, caseUrl);
    await hydrated(page);
    await record(page, '入党宣誓', async (f) => { await f.locator('#f-on').fill('2025-11-25'); });
    await page.getByTestId('dev-step').filter({ hasText: '入党宣誓' }).waitFor();
  });
  // She writes her request herself, from 我的.
  await as('youth', async (page) => {
    await go(page, '/me/join');
    await hydrated(page);
    await page.getByTestId('dev-my-cases').getByTestId('dev-case').first().click();
    await page.waitForURL(/\/development\/\d+$/);
    assert.equal(await stage(page), '预备党员');
    await record(page, '提交转正申请', async (f) => { await f.locator('#f-on').fill('2026-10-25'); });
    await page.getByTestId('dev-step').filter({ hasText: '提交转正申请' }).waitFor();
  });
  await as('secretary', async (page) => {
    await go(page, caseUrl);
    await hydrated(page);
    await record(page, '支部大会讨论转正', async (f) => {
      await f.locator('#f-on').fill('2026-11-05');
      await f.locator('#f-eligible').fill('9');
      await f.locator('#f-present').fill('8');
      await f.locator('#f-in_favour').fill('8');
    });
    await page.getByTestId('dev-step').filter({ hasText: '支部大会讨论转正' }).waitFor();
  });
  await as('orgadmin', async (page) => {
    await go(page, caseUrl);
    await hydrated(page);
    await record(page, '上级批准转正', async (f) => { await f.locator('#f-on').fill('2026-11-20'); });
    await page.getByTestId('dev-step').filter({ hasText: '上级批准转正' }).waitFor();
    assert.equal(await stage(page), '正式党员');
    // The committee's figures count her among 2025's new members, through 推优.
    await go(page, '/orglife/development?year=2025');
    await hydrated(page);
    const figures = page.getByTestId('dev-figures');
    await figures.waitFor();
    assert.match(await figures.innerText(), /今年发展\s*1[\s\S]*推优占比\s*100%/);
    await page.getByTestId('dev-plans').locator('.row', { hasText: '前端开发党支部' }).waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'development-figures');
  });

  // Her case in English.
  await as('youth', async (page) => {
    await context_en(page);
    await go(page, caseUrl);
    await hydrated(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await stage(page), 'Full member');
    await page.getByText('Recommended by the League').first().waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'development-case-en');
  });
});

test('the city committee reads Party coverage by district, then a district by street', async () => {
  await as('cityadmin', async (page) => {
    await page.getByRole('link', { name: '党组织覆盖率' }).click();
    await page.waitForURL('**/league/coverage?tree=party');
    await hydrated(page);
    const nanshan = page.locator('a.row', { hasText: '南山区' });
    await nanshan.waitFor();
    assert.match(await page.locator('.big-figure').innerText(), /^\d+\.\d%$/);
    await shot(page, 'party-coverage');
    await nanshan.click();
    await page.waitForURL(/tree=party&district=/);
    await page.locator('.row', { hasText: '南山区 粤海街道' }).first().waitFor();
    await page.locator('.crumbs').getByText('全市').waitFor();
    await assertNoSidewaysScroll(page, assert);
    await shot(page, 'party-coverage-district');
  });
});

async function context_en(page) {
  await page.context().addCookies([{ name: 'lang', value: 'en', url: BASE }]);
}

/// Chooses the option of a select whose text has `text` in it.
async function pick(select, text) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value);
}
