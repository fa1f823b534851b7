// The parts of ECharts the portal's charts use (line and bar charts on a grid, with a tooltip
// and a legend, drawn as SVG), bundled by esbuild into public/vendor/echarts.min.js instead
// of the whole library: a third of the download on 排行 and 积分.
import { use, init } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);
window.echarts = { init };
