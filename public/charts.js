// Draws the page's charts with ECharts (served from this origin). The server builds each
// chart's options with charming and puts them in a data-chart attribute beside a table
// with the same numbers; this only hands them to ECharts. ECharts itself is fetched when
// the first chart comes near the screen, so a page whose charts sit below the fold does not
// pay for them on its first load; charts that appear later (in a body that a sent form put
// in place) are watched too.
(function () {
  'use strict';
  var waiting = null;
  function withECharts(then) {
    if (window.echarts) return then();
    if (!waiting) {
      waiting = [];
      var script = document.createElement('script');
      script.src = '/vendor/echarts.min.js';
      script.onload = function () {
        var ready = waiting;
        waiting = null;
        ready.forEach(function (f) { f(); });
      };
      document.head.appendChild(script);
    }
    waiting.push(then);
  }
  function draw(el) {
    if (el.getAttribute('data-drawn')) return;
    el.setAttribute('data-drawn', '1');
    var chart = window.echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(JSON.parse(el.getAttribute('data-chart')));
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (!e.isIntersecting) return;
      near.unobserve(e.target);
      withECharts(function () { draw(e.target); });
    });
  }, { rootMargin: '200px 0px' });
  function watch() {
    document.querySelectorAll('[data-chart]:not([data-watched])').forEach(function (el) {
      el.setAttribute('data-watched', '1');
      near.observe(el);
    });
  }
  if (!window.qnejCharts) {
    window.qnejCharts = true;
    watch();
    // The whole document: a sent form may put a new body in place.
    new MutationObserver(watch).observe(document.documentElement, { childList: true, subtree: true });
  }
})();
