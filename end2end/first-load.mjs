// What a phone downloads as code for the first load of a member's pages: every script and
// WebAssembly file the browser fetches until the page has hydrated (and its charts are
// drawn), each counted as the file on disk compressed with brotli at the highest quality,
// which is how a release build serves it (precompressed). Used by the bundle budget test
// and by bench/wasm-size.
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

// A member's pages, as the issue on speed lists them: the five tabs, an article, a quiz.
// `null` paths are found on the page before (the first article on 学习).
export const MEMBER_PAGES = [
  ['学习', '/study'],
  ['积分', '/points'],
  ['排行', '/rankings'],
  ['组织生活', '/orglife'],
  ['我的', '/me'],
  ['文章', null],
  ['答题', '/study/quiz/daily'],
];

const brotli = new Map();
function brotliSize(file) {
  if (!brotli.has(file)) {
    const raw = readFileSync(file);
    const packed = zlib.brotliCompressSync(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
    brotli.set(file, { raw: raw.length, br: packed.length });
  }
  return brotli.get(file);
}

// Opens `path` in a fresh tab of `context` (signed in already) at the phone's size, waits
// for hydration and for the network to fall quiet without scrolling, and returns the code
// files that first load fetched with their sizes. Then scrolls to each chart and waits for
// it to be drawn: what that adds (ECharts, fetched when a chart nears the screen) is
// returned apart, as `later`.
export async function firstLoad(context, base, siteRoot, path) {
  const page = await context.newPage();
  const fetched = new Set();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === new URL(base).origin && /\.(wasm|m?js)$/.test(url.pathname)) fetched.add(url.pathname);
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + path);
  let first = [];
  try {
    await page.waitForSelector('body[data-hydrated]', { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    first = [...fetched];
    for (const chart of await page.locator('[data-chart]').all()) {
      await chart.scrollIntoViewIfNeeded();
      await chart.locator('svg').waitFor({ timeout: 30_000 });
    }
  } catch (e) {
    errors.push(`${path} did not hydrate or draw its charts: ${e.message.split('\n')[0]}`);
  }
  await page.close();
  const sized = (paths) => paths.sort().map((f) => ({ path: f, ...brotliSize(siteRoot + f) }));
  const files = sized(first);
  const later = sized([...fetched].filter((f) => !first.includes(f)));
  const sum = (fs, k) => fs.reduce((s, f) => s + f[k], 0);
  return { path, files, raw: sum(files, 'raw'), br: sum(files, 'br'), later, laterBr: sum(later, 'br'), errors };
}

// The first article offered on 学习.
export async function firstArticle(context, base) {
  const page = await context.newPage();
  await page.goto(base + '/study');
  const href = await page.evaluate(() =>
    [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).find((h) => /^\/study\/\d+$/.test(h)),
  );
  await page.close();
  if (!href) throw new Error('no article on /study');
  return href;
}

// Every member page's first load, in the order of MEMBER_PAGES.
export async function memberFirstLoads(context, base, siteRoot) {
  const out = [];
  for (const [name, path] of MEMBER_PAGES) {
    out.push({ name, ...(await firstLoad(context, base, siteRoot, path ?? (await firstArticle(context, base)))) });
  }
  return out;
}

export const kB = (n) => (n / 1024).toFixed(1);
