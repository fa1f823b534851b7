// The portal as an app on a phone: the manifest and its icons, Chromium's own installability
// check, and the service worker: offline, a page says so plainly instead of failing; it
// never keeps a page or a server function's answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, go, signIn, shot, BASE } from './helpers.mjs';

test('the manifest names PNG icons of each size, a maskable one and shortcuts', async () => {
  const manifest = await (await fetch(BASE + '/manifest.webmanifest')).json();
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.theme_color, '#c8161d');
  const sizes = manifest.icons.filter((i) => i.type === 'image/png').map((i) => `${i.sizes} ${i.purpose}`);
  assert.deepEqual(sizes, ['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const res = await fetch(BASE + icon.src);
    assert.equal(res.status, 200, icon.src);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (icon.type === 'image/png') {
      // The PNG header's width and height are the size the manifest states.
      const view = new DataView(bytes.buffer);
      assert.equal(`${view.getUint32(16)}x${view.getUint32(20)}`, icon.sizes, icon.src);
    }
  }
  assert.deepEqual(manifest.shortcuts.map((s) => s.url), ['/study', '/orglife']);
  const touch = await fetch(BASE + '/icons/apple-touch-icon.png');
  assert.equal(touch.status, 200);
});

test('Chromium finds the portal installable, and offline a page says so', async () => {
  // A profile on disk, as a phone's browser has: an incognito one can install nothing.
  const dir = await mkdtemp(join(tmpdir(), 'qnej-install-'));
  const context = await chromium.launchPersistentContext(dir, {
    ...CHROMIUM, viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await signIn(page, 'member');
  await go(page, '/study');
  const html = await page.content();
  assert.match(html, /rel="apple-touch-icon"/);
  // The service worker takes the page over once it has loaded.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'no service worker controls the page');
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);

  await context.setOffline(true);
  await page.goto(BASE + '/points').catch(() => {});
  await page.getByRole('heading', { name: '网络未连接' }).waitFor();
  await shot(page, 'offline');
  await context.setOffline(false);
  await go(page, '/points');
  await page.getByText('积分').first().waitFor();

  // What the worker keeps: the offline page, icons and hashed bundle files, never a page
  // or an answer.
  const kept = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
    }
    return out;
  });
  assert.ok(kept.includes('/offline.html'), kept.join(', '));
  const wrong = kept.filter((p) => !(p === '/offline.html' || p === '/manifest.webmanifest' || p.endsWith('.svg') ||
    p.startsWith('/icons/') || /^\/pkg\/qnej\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/.test(p)));
  assert.deepEqual(wrong, []);
  await context.close();
  await rm(dir, { recursive: true, force: true });
});
