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

// Opens `path` in a fresh tab of `context` (signed in already), waits for hydration and for
// the charts, and returns the code files it fetched with their sizes.
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
  try {
    await page.waitForSelector('body[data-hydrated]', { timeout: 30_000 });
    if (await page.locator('[data-chart]').count()) {
      await page.waitForSelector('[data-chart][data-drawn]', { timeout: 30_000 });
    }
  } catch (e) {
    errors.push(`${path} did not hydrate or draw its charts: ${e.message.split('\n')[0]}`);
  }
  await page.close();
  const files = [...fetched].sort().map((f) => ({ path: f, ...brotliSize(siteRoot + f) }));
  return { path, files, raw: files.reduce((s, f) => s + f.raw, 0), br: files.reduce((s, f) => s + f.br, 0), errors };
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
