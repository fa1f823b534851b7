// The service worker: the portal opens from the home screen like an app, and says so
// plainly when there is no network.
// - Pages (HTML) always come from the network and are never stored: a signed-in page is
//   one member's, and a new release must reach every phone at once. Without a network the
//   stored offline page answers instead.
// - The bundle's hashed files (/pkg/name.HASH.ext, which never change) and the icons are
//   stored on first use and served from the store after that.
// - Nothing else is stored: no server function's answer (/api/), no upload (/media/), no
//   export, nothing but GET.
'use strict';
const STORE = 'qnej-shell-v1';
const SHELL = ['/offline.html', '/logo.svg', '/favicon.svg', '/icons/icon-192.png', '/manifest.webmanifest'];
const HASHED = /^\/pkg\/[^/]+\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(STORE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== STORE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function kept(url) {
  return url.origin === self.location.origin && (HASHED.test(url.pathname) || SHELL.includes(url.pathname) || url.pathname.startsWith('/icons/'));
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.match('/offline.html')));
    return;
  }
  if (!kept(url)) return;
  event.respondWith(
    caches.open(STORE).then((store) =>
      store.match(req).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok && res.type === 'basic') store.put(req, res.clone());
        return res;
      })),
    ),
  );
});
