// The study streak on 学习 and 我的: with ten minutes of verified study on each of the last
// three days (the clock moved by writing the past days' study), the member sees a streak
// of three with this week's strip, in Chinese and in English.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, phone, signIn, shot, go, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a member who studied three days running sees a streak of three', async () => {
  const url = process.env.E2E_DATABASE_URL;
  assert.ok(url, 'E2E_DATABASE_URL is not set');
  execFileSync('psql', [url, '-qAtc', `
    INSERT INTO study_time (user_id, day, secs)
    SELECT u.id, (now() AT TIME ZONE 'Asia/Shanghai')::date - d, 660
    FROM users u CROSS JOIN generate_series(0, 2) AS d WHERE u.username = 'member'
    ON CONFLICT (user_id, day) DO UPDATE SET secs = GREATEST(study_time.secs, EXCLUDED.secs)`]);
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  const card = page.getByTestId('streak');
  await card.getByText(/连续学习 \d+ 天/).waitFor();
  const days = Number((await card.locator('.streak-days').innerText()).match(/\d+/)[0]);
  assert.ok(days >= 3, `a streak of ${days}`);
  assert.equal(await card.locator('.week-strip li').count(), 7);
  assert.equal(await card.getByText('今天已打卡，明天继续。').count(), 1);
  await go(page, '/study');
  await page.getByTestId('streak').getByText(`连续学习 ${days} 天`).waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'streak');
  await context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
  await go(page, '/me');
  await page.getByTestId('streak').getByText(`${days}-day study streak`).waitFor();
  await shot(page, 'streak-en');
  assert.deepEqual(page.errors, []);
  await context.close();
});
