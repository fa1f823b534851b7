// Starts the page's islands. The page is whole without this; once it has loaded and the
// browser is idle (so that the text, the stylesheet and the images get the network first),
// the WebAssembly is fetched, its `hydrate` entry runs, and each island of the page
// (`leptos-island`, its function named by `data-component`) is hydrated in page order.
// `window.__hydrateIsland` hydrates one more, for a body that a sent form put in place.
(function () {
  'use strict';
  var me = document.currentScript;
  var js = me.getAttribute('data-js');
  var wasm = me.getAttribute('data-wasm');
  function hydrateIsland(mod, el, id) {
    var island = mod[id];
    if (island) return island(el);
    console.warn('no WebAssembly function for the island ' + id);
  }
  function start() {
    import(js).then(function (mod) {
      return mod.default({ module_or_path: wasm }).then(function () {
        window.__hydrateIsland = function (el, id) { return hydrateIsland(mod, el, id); };
        mod.hydrate();
        var islands = document.querySelectorAll('leptos-island');
        var chain = Promise.resolve();
        islands.forEach(function (el) {
          chain = chain.then(function () { return hydrateIsland(mod, el, el.dataset.component); });
        });
      });
    });
  }
  function idle() {
    if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 500 });
    else setTimeout(start, 0);
  }
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle);
})();
// The service worker (public/sw.js): the portal installs as an app and says so plainly when
// the phone is offline. It never stores a page or a server function's answer.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  function register() {
    navigator.serviceWorker.register('/sw.js').catch(function (e) { console.warn('no service worker: ' + e); });
  }
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
})();
