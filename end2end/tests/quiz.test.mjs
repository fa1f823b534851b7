// Quizzes on a phone: the daily quiz answered and graded on the server, the 积分 tab
// moving, the wrong-answer book; and an admin importing a question bank with a bad row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, phone, signIn, shot, go, hydrated, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a member takes the daily quiz, sees the result, the points and the wrong-answer book', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await page.getByRole('link', { name: '学习' }).click();
  await page.waitForURL('**/study');
  await page.locator('a.quiz-entry').click();
  await page.waitForURL('**/study/quiz');
  await hydrated(page);
  await page.getByRole('link', { name: /每日答题/ }).click();
  await page.waitForURL('**/study/quiz/daily');
  await hydrated(page);
  const questions = page.locator('fieldset.question');
  assert.equal(await questions.count(), 5);
  // Nothing on the page gives the answers away before submitting.
  assert.equal(await page.locator('.opt-right').count(), 0);
  await shot(page, 'quiz-daily');
  // Pick the first option of each question (some right, some likely wrong).
  for (let i = 0; i < 5; i++) {
    await questions.nth(i).locator('label.option').first().click();
  }
  await page.getByRole('button', { name: /交卷（已答 5\/5）/ }).click();
  await page.locator('.big-score').waitFor();
  const score = await page.locator('.big-score').innerText();
  const correct = Number(score.split('/')[0].trim());
  assert.ok(correct >= 0 && correct <= 5);
  assert.equal(await page.locator('section.question').count(), 5);
  await shot(page, 'quiz-result');

  await page.getByRole('link', { name: '查看积分' }).click();
  await page.waitForURL('**/points');
  const row = page.locator('.progress-row', { hasText: '每日答题' });
  assert.equal(await row.locator('.progress-count').innerText(), `${correct}/5`);

  await go(page, '/study/quiz/wrong');
  if (correct < 5) {
    const wrong = page.locator('fieldset.question');
    assert.equal(await wrong.count(), 5 - correct);
    await shot(page, 'quiz-wrong-book');
  } else {
    await page.getByText('错题本是空的').waitFor();
  }
  await go(page, '/study/quiz/daily');
  await page.locator('.big-score').waitFor();
  assert.equal(await page.locator('.big-score').innerText(), score, 'one daily quiz a day');
  await assertNoSidewaysScroll(page, assert);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an admin imports a question sheet: bad rows are listed by number and nothing goes in', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'admin');
  await page.getByRole('link', { name: '题库管理' }).click();
  await page.waitForURL('**/admin/questions');
  await hydrated(page);
  const before = await page.locator('.card h2', { hasText: /共 \d+ 道题/ }).innerText();
  const dir = mkdtempSync(join(tmpdir(), 'qnej-'));
  const file = join(dir, '题库-有错.csv');
  writeFileSync(file, '\ufeff题型,题干,选项A,选项B,答案\n单选,端到端导入的好题目,甲,乙,A\n填空,题型不对的题目,甲,乙,A\n');
  await page.setInputFiles('#upload-sheet', file);
  await page.locator('table.import-errors').waitFor();
  assert.equal(await page.locator('table.import-errors tbody tr').count(), 1);
  assert.match(await page.locator('table.import-errors tbody tr').innerText(), /3\s+题型\s+题型应为单选、多选或判断/);
  await shot(page, 'bank-import-errors');
  assert.equal(await page.locator('.card h2', { hasText: /共 \d+ 道题/ }).innerText(), before);

  const good = join(dir, '题库.csv');
  writeFileSync(good, '题型,题干,选项A,选项B,答案\n单选,端到端导入的好题目,甲,乙,A\n');
  await page.setInputFiles('#upload-sheet', good);
  await page.getByText('已导入 1 道题。').waitFor();
  await page.getByText('端到端导入的好题目').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a member watches the demo video until it counts, then answers the micro-lesson', { timeout: 120_000 }, async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await go(page, '/study');
  await page.getByRole('heading', { name: '专栏' }).waitFor();
  await page.locator('a.column-tile', { hasText: '新时代青年学习专栏' }).click();
  await page.waitForURL(/\/study\/column\/\d+$/);
  await hydrated(page);
  await shot(page, 'column');
  await page.getByRole('link', { name: /青年e家功能演示/ }).click();
  await page.waitForURL(/\/study\/\d+$/);
  await hydrated(page);
  await page.bringToFront();
  const video = page.locator('video.player');
  await video.waitFor();
  // Nothing counts before it plays.
  await page.waitForTimeout(1500);
  assert.match(await page.locator('.meter').innerText(), /已学习 0:00/);
  await video.evaluate((v) => { v.muted = true; return v.play(); });
  await page.locator('.meter.done').waitFor({ timeout: 80_000 });
  await shot(page, 'video');

  await page.getByRole('link', { name: '积分' }).click();
  await page.waitForURL('**/points');
  const watched = page.locator('.progress-row', { hasText: '观看视频' });
  assert.equal(await watched.locator('.progress-count').innerText(), '1/6');

  await go(page, '/study');
  await page.locator('a.column-tile', { hasText: '新时代青年学习专栏' }).click();
  await page.waitForURL(/\/study\/column\/\d+$/);
  await hydrated(page);
  await page.getByRole('link', { name: /微课：三会一课入门/ }).click();
  await page.waitForURL(/\/study\/\d+$/);
  await hydrated(page);
  await page.getByRole('link', { name: /开始答题（2 题）/ }).click();
  await page.waitForURL(/\/study\/\d+\/quiz$/);
  await hydrated(page);
  assert.equal(await page.locator('fieldset.question').count(), 2);
  await page.locator('fieldset.question').nth(0).locator('label.option').first().click();
  await page.locator('fieldset.question').nth(1).locator('label.option').first().click();
  await page.getByRole('button', { name: /交卷/ }).click();
  await page.locator('.big-score').waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('with JavaScript off an article says its time is not counted and a quiz cannot look sendable', async () => {
  // 赵一鸣 has not answered today's quiz (王小明 has, above).
  const { context, page } = await phone(browser, { javaScriptEnabled: false });
  await signIn(page, 'mover', undefined, { js: false });
  await go(page, '/study', { js: false });
  const href = await page.locator('a[href^="/study/"]').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href')).find((h) => /^\/study\/\d+$/.test(h)));
  // The notes sit in <noscript>, which Playwright's text search skips: read the page.
  await go(page, href, { js: false });
  assert.match(await page.content(), /<noscript><p class="alert error">学习计时需要启用 JavaScript/);
  await shot(page, 'article-nojs');
  await go(page, '/study/quiz/daily', { js: false });
  assert.match(await page.content(), /<noscript><p class="alert error">答题需要启用 JavaScript/);
  const send = page.getByRole('button', { name: /交卷/ });
  assert.ok(await send.isDisabled(), 'the 交卷 button looks active without JavaScript');
  await shot(page, 'quiz-nojs');
  await context.close();
});
