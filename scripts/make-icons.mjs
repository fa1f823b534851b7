// Draws the app's PNG icons from the logo's shapes in the system Chromium, into public/icons:
// icon-192.png and icon-512.png (the rounded square, transparent corners), maskable-512.png
// (full bleed, the star inside the safe circle) and apple-touch-icon.png (180, square; the
// phone rounds it). Run once after the logo changes: node scripts/make-icons.mjs
import { chromium } from '../end2end/node_modules/playwright-core/index.mjs';

const STAR = 'M32 12l5.3 11.6 12.7 1.4-9.5 8.6 2.7 12.5L32 39.8 20.8 46.1l2.7-12.5L14 25l12.7-1.4z';
const RED = '#c8161d';
const GOLD = '#ffd34e';
const rounded = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${RED}"/><path d="${STAR}" fill="${GOLD}"/></svg>`;
const square = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${RED}"/><path d="${STAR}" fill="${GOLD}"/></svg>`;
// The maskable safe zone is the middle 80 %: the star drawn at 70 % around the centre.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${RED}"/><g transform="translate(32 31) scale(0.7) translate(-32 -29)"><path d="${STAR}" fill="${GOLD}"/></g></svg>`;

const out = new URL('../public/icons/', import.meta.url).pathname;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
for (const [name, svg, size] of [
  ['icon-192.png', rounded, 192],
  ['icon-512.png', rounded, 512],
  ['maskable-512.png', maskable, 512],
  ['apple-touch-icon.png', square, 180],
]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: out + name, omitBackground: true });
  console.log(name, size);
}
await browser.close();
