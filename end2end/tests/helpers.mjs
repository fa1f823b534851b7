// Shared by the end-to-end tests: the system Chromium at phone size, and small steps.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
export const PASSWORD = 'qnej-demo-2026';
const SHOTS = new URL('../screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
  ],
};

export async function launch() {
  return chromium.launch(CHROMIUM);
}

// A phone: 390x844, Chinese, JavaScript on unless asked otherwise. Collects page errors
// and console errors so that a test can assert there were none.
export async function phone(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...options,
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // A refused form (422) is the browser logging an answer the test asked for, not a fault.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 422/.test(m.text())) page.errors.push(m.text());
  });
  return { context, page };
}

// Waits until the WebAssembly bundle has hydrated the page.
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated]', { timeout: 30_000 });
}

// Waits until the chart in `figure` is drawn: ECharts comes once a chart nears the screen,
// so the chart is scrolled to first.
export async function chartDrawn(figure) {
  await figure.locator('.chart').scrollIntoViewIfNeeded();
  await figure.locator('.chart svg').waitFor();
}

export async function go(page, path, { js = true } = {}) {
  await page.goto(BASE + path);
  if (js) await hydrated(page);
}

export async function signIn(page, login, password = PASSWORD, { js = true } = {}) {
  await go(page, '/signin', { js });
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL('**/me'), page.click('form.form button[type=submit]')]);
  if (js) await hydrated(page);
}

export async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

// The page is no wider than its viewport: nothing scrolls sideways.
export async function assertNoSidewaysScroll(page, assert) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
}

export function randomPhone() {
  return '137' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe-core's critical and serious violations on the open page, as "rule (impact): target"
// lines, and a line more when it checked too few rules to mean anything. The page's
// context must bypass the CSP (`bypassCSP: true`) for axe to be injected.
export async function axeProblems(page) {
  await page.addScriptTag({ path: AXE });
  const { passes, found } = await page.evaluate(async () => {
    const r = await window.axe.run(document);
    return {
      passes: r.passes.length,
      found: r.violations
        .filter((v) => v.impact === 'critical' || v.impact === 'serious')
        .flatMap((v) => v.nodes.map((n) => `axe ${v.id} (${v.impact}): ${n.target.join(' ')}`)),
    };
  });
  return passes > 10 ? found : [...found, `axe checked only ${passes} rules`];
}
