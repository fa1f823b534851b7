// Draws the page's charts with ECharts (served from this origin). The server builds each
// chart's options with charming and puts them in a data-chart attribute beside a table
// with the same numbers; this only hands them to ECharts, also for charts that appear
// later through in-app navigation.
(function () {
  'use strict';
  function draw(el) {
    if (el.getAttribute('data-drawn')) return;
    el.setAttribute('data-drawn', '1');
    var chart = window.echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(JSON.parse(el.getAttribute('data-chart')));
    window.addEventListener('resize', function () { chart.resize(); });
  }
  function drawAll() {
    if (!window.echarts) return;
    document.querySelectorAll('[data-chart]').forEach(draw);
  }
  function start() {
    if (!window.echarts) {
      // Scripts added by in-app navigation may run before ECharts has arrived.
      setTimeout(start, 50);
      return;
    }
    drawAll();
    new MutationObserver(drawAll).observe(document.body, { childList: true, subtree: true });
  }
  if (!window.qnejCharts) {
    window.qnejCharts = true;
    start();
  }
})();
