import { launch, phone, signIn, shot, hydrated, go } from './tests/helpers.mjs';
const browser = await launch();
const out = [];
{
  const { context, page } = await phone(browser);
  await signIn(page, 'member');
  await go(page, '/me');
  await hydrated(page);
  await shot(page, 'walk-me');
  await go(page, '/me/dues');
  await hydrated(page);
  await shot(page, 'walk-dues');
  await page.fill('#f-months', '13');
  await page.getByRole('button', { name: '交纳', exact: true }).click();
  await page.getByText('一次可交 1 到 12 个月').waitFor();
  await shot(page, 'walk-dues-wrong');
  await page.fill('#f-months', '3');
  await page.getByRole('button', { name: '交纳', exact: true }).click();
  await page.getByText('待支部确认').first().waitFor();
  await shot(page, 'walk-dues-paid');
  out.push(await page.locator('[data-testid=dues-paid-up-to]').first().innerText());
  console.log('errors', page.errors);
  await context.close();
}
{
  const { context, page } = await phone(browser);
  await signIn(page, 'treasurer');
  await go(page, '/me');
  await hydrated(page);
  await shot(page, 'walk-treasurer-me');
  await go(page, '/orglife/dues');
  await hydrated(page);
  await shot(page, 'walk-branch-dues');
  const row = page.locator('[data-testid=dues-payment]', { hasText: '王小明' }).first();
  await row.waitFor();
  await page.getByRole('button', { name: '确认到账' }).first().click();
  await page.waitForTimeout(1500);
  await shot(page, 'walk-branch-dues-after');
  console.log('errors', page.errors);
  await context.close();
}
{
  const { context, page } = await phone(browser);
  await context.addCookies([{ name: 'lang', value: 'en', url: process.env.BASE_URL }]);
  await signIn(page, 'member');
  await go(page, '/me/dues');
  await hydrated(page);
  await shot(page, 'walk-dues-en');
  const link = page.getByRole('link', { name: 'Receipt' }).first();
  if (await link.count()) {
    await link.click();
    await page.waitForURL(/receipt/);
    await hydrated(page);
    await shot(page, 'walk-receipt-en');
  }
  console.log('errors', page.errors);
  await context.close();
}
console.log(out);
await browser.close();
