// A company admin on a phone: opens the dashboard from 我的, reads a figure and its change,
// picks last month, downloads the XLSX and the CSV of study hours, opens last month's
// bulletin and prints it; a wrong period is refused with a message; the page in English.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, phone, signIn, shot, go, hydrated, chartDrawn, assertNoSidewaysScroll, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Last month as the dashboard names it (Asia/Shanghai).
function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('a company admin reads the dashboard, downloads study hours and opens last month\'s bulletin', async () => {
  const { context, page } = await phone(browser, { acceptDownloads: true });
  await signIn(page, 'orgadmin');
  await go(page, '/me');
  await page.getByRole('link', { name: '数据看板' }).click();
  await page.waitForURL(/\/dashboard$/);
  await hydrated(page);
  const tiles = page.locator('[data-testid=measures] .measure');
  assert.equal(await tiles.count(), 9);
  await page.getByText('较上期').first().waitFor();

  // Last month: its figures against the month before, with a chart of the weakest branches.
  const month = lastMonth();
  await page.locator('select[name=period]').selectOption(month);
  await page.waitForURL(new RegExp(`period=${month}`));
  await hydrated(page);
  assert.match(await page.getByTestId('dashboard-lead').innerText(), new RegExp(`^${month}`));
  const participation = await tiles.first().locator('.measure-value').innerText();
  assert.match(participation, /^\d+\.\d%$/);
  assert.notEqual(participation, '0.0%', 'the demo studied last month');
  const chart = page.locator('figure.chart-card').first();
  await chartDrawn(chart);
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'dashboard');

  // The sheets: study hours per member as XLSX and as CSV.
  const row = page.getByTestId('exports').locator('li', { hasText: '党（团）员学习时长' });
  const [xlsx] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'XLSX' }).click()]);
  assert.match(xlsx.suggestedFilename(), new RegExp(`^study-\\d+-${month}\\.xlsx$`));
  const book = await readFile(await xlsx.path());
  assert.equal(book.subarray(0, 2).toString(), 'PK', 'an XLSX file is a zip');
  assert.ok(book.length > 4000, `${book.length} bytes`);
  const [csv] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'CSV' }).click()]);
  const lines = (await readFile(await csv.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines[0], '姓名,组织,学习时长（小时）,学习天数,完成学习内容');
  assert.ok(lines.length > 20, `${lines.length} lines`);
  assert.ok(lines.slice(1).some((l) => Number(l.split(',')[2]) > 0), 'someone studied');

  // Last month's bulletin, kept since the month ended, as it prints.
  await page.getByRole('link', { name: '月督查、季通报' }).click();
  await page.waitForURL(/\/dashboard\/bulletins\?org=\d+/);
  const [y, m] = month.split('-');
  await page.getByRole('link', { name: `${y}年${Number(m)}月` }).click();
  await page.waitForURL(/\/dashboard\/bulletins\/\d+$/);
  const sheet = page.getByTestId('bulletin');
  await sheet.getByRole('heading', { name: /月督查通报$/ }).waitFor();
  assert.equal(await sheet.locator('table').first().locator('tbody tr').count(), 9);
  await sheet.getByText('需要加强的支部').waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'bulletin');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.tabbar').isVisible(), false, 'the tab bar is not printed');
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  await page.emulateMedia({ media: 'screen' });

  // A wrong period says what is wrong and keeps the page usable.
  await go(page, '/dashboard?period=2026-13');
  await page.getByText('期间应为月份（如 2026-11）或季度（如 2026-Q4），且不晚于本月。').waitFor();
  assert.deepEqual(page.errors.filter((e) => !/status of 422/.test(e)), []);

  // In English.
  await context.addCookies([{ name: 'lang', value: 'en', url: BASE }]);
  await go(page, `/dashboard?period=${month}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByText('Download sheets').waitFor();
  await page.getByText('vs. before').first().waitFor();
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'dashboard-en');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a street committee\'s reviewer reads the League coverage of the street on the dashboard', async () => {
  const { context, page } = await phone(browser);
  await signIn(page, 'streetadmin');
  await go(page, '/me');
  await page.getByRole('link', { name: '数据看板' }).click();
  await page.waitForURL(/\/dashboard$/);
  await hydrated(page);
  const tile = page.getByTestId('coverage').locator('.measure');
  await tile.waitFor();
  const text = await tile.innerText();
  assert.match(text, /团组织覆盖率/);
  assert.match(text, /\d+\.\d%|—/);
  assert.match(text, /\d+\/\d+ 家企业/);
  await assertNoSidewaysScroll(page, assert);
  await shot(page, 'dashboard-coverage');
  await tile.click();
  await page.waitForURL(/\/league\/coverage\?tree=league/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
