// A company admin names an instructor (指导员) for a branch on its page: a phone number that
// is nobody's is refused with a message and kept in the field; the person named finds
// 我跟进的 on 我的 with the branch's next step and the days it has waited, in Chinese and in
// English; the admin removes them again.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, shot, go, hydrated, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A demo member of another company, named instructor of 星云科技's 产品运营党支部.
const INSTRUCTOR = '13900000150';

test('a committee names an instructor who follows the branch\'s next step from 我的', async () => {
  const admin = await phone(browser);
  await signIn(admin.page, 'orgadmin');
  await admin.page.getByRole('link', { name: '组织管理', exact: true }).click();
  await admin.page.waitForURL('**/admin/orgs');
  await admin.page.getByText('产品运营党支部').first().click();
  await admin.page.waitForURL(/\/admin\/orgs\/\d+$/);
  const orgPage = admin.page.url();
  await hydrated(admin.page);
  const section = admin.page.getByTestId('instructors');
  await section.scrollIntoViewIfNeeded();

  // Nobody has this number: the message says so and the number stays to be corrected.
  await section.locator('#f-instructor').fill('13811112222');
  await section.getByRole('button', { name: '指定指导员' }).click();
  await section.getByText('没有找到这个成员。').waitFor();
  assert.equal(await section.locator('#f-instructor').inputValue(), '13811112222');

  await section.locator('#f-instructor').fill(INSTRUCTOR);
  await section.getByRole('button', { name: '指定指导员' }).click();
  await section.getByText(/已指定，并已通知本人。|此人已是指导员。/).waitFor();
  const row = section.getByTestId('instructor').filter({ hasText: INSTRUCTOR });
  await row.waitFor();
  assert.match(await row.innerText(), /自 \d{4}-\d{2}-\d{2} 起/);
  await assertNoSidewaysScroll(admin.page, assert);
  await shot(admin.page, 'instructors-named');

  // The instructor: a message, and 我跟进的 on 我的 with the branch's next step.
  const person = await phone(browser);
  await signIn(person.page, INSTRUCTOR);
  await person.page.getByRole('link', { name: '我跟进的' }).click();
  await person.page.waitForURL('**/me/following');
  const item = person.page.getByTestId('followed').filter({ hasText: '产品运营党支部' });
  await item.waitFor();
  const text = await item.innerText();
  assert.match(text, /未按期开展|待上级审核|未开展组织生活|前开展|暂无待办/, text);
  await assertNoSidewaysScroll(person.page, assert);
  await shot(person.page, 'following');
  await go(person.page, '/me/notices');
  await person.page.getByText('产品运营党支部」的指导员').first().waitFor();

  // The same list in English.
  await person.context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
  await go(person.page, '/me/following');
  await person.page.getByRole('heading', { name: 'What I follow' }).first().waitFor();
  const en = await person.page.getByTestId('followed').filter({ hasText: '产品运营党支部' }).innerText();
  assert.match(en, /not held in time|waits for the superior|No organization life|due by|Nothing to do now/, en);
  await shot(person.page, 'following-en');

  // Removed by the admin, the branch leaves the list.
  await go(admin.page, new URL(orgPage).pathname);
  await admin.page.getByTestId('instructor').filter({ hasText: INSTRUCTOR }).getByRole('button', { name: '解除' }).click();
  await admin.page.getByTestId('instructor').filter({ hasText: INSTRUCTOR }).waitFor({ state: 'detached' });
  await go(person.page, '/me/following');
  assert.equal(await person.page.getByTestId('followed').filter({ hasText: '产品运营党支部' }).count(), 0);

  assert.deepEqual([...admin.page.errors, ...person.page.errors], []);
  await admin.context.close();
  await person.context.close();
});
