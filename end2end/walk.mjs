import { launch, phone, signIn, shot, hydrated, go } from './tests/helpers.mjs';
const browser = await launch();
for (const width of [360, 390]) {
  const { context, page } = await phone(browser, { viewport: { width, height: 800 } });
  await signIn(page, 'treasurer');
  await Promise.all([page.waitForLoadState('load'), page.click('.lang-switch button[value=en]')]);
  await go(page, '/orglife/dues');
  await hydrated(page);
  await page.getByTestId('dues-by-month').waitFor();
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  console.log(width, w);
  await shot(page, `walk-branch-dues-en-${width}`);
  await go(page, '/me');
  await Promise.all([page.waitForLoadState('load'), page.click('.lang-switch button[value=zh-CN]')]);
  await go(page, '/orglife/dues');
  await hydrated(page);
  const z = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  console.log(width, 'zh', z);
  await context.close();
}
{
  const { context, page } = await phone(browser);
  await signIn(page, 'orgadmin');
  await go(page, '/orglife/dues?org=3');
  await hydrated(page);
  await shot(page, 'walk-committee-dues');
  await context.close();
}
await browser.close();
