import { createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, type Plugin, registerables } from 'chart.js';
import { PointWithErrorBar, ScatterWithErrorBarsController } from 'chartjs-chart-error-bars';
import ChartDataLabels from 'chartjs-plugin-datalabels';
import { CHART_SIZE, type ChartConfig } from './chart-config.js';

Chart.register(...registerables, ScatterWithErrorBarsController, PointWithErrorBar, ChartDataLabels);
// One named font, so text is measured (and laid out) alike on every machine; .ci/run installs it.
Chart.defaults.font.family = 'DejaVu Sans';

/** Chart.js draws on a transparent canvas; reports want white behind the chart. */
const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** The hooks a plain-data configuration cannot carry: the text beside each point, dollar ticks. */
function withHooks(config: ChartConfig): ChartConfiguration {
  const copy = structuredClone(config) as unknown as ChartConfiguration & { options: Record<string, any> };
  const labels = copy.options.plugins?.datalabels;
  if (labels !== undefined) labels.formatter = (value: { label?: string }) => value?.label ?? '';
  const x = copy.options.scales?.x;
  if (x !== undefined && copy.type === 'scatterWithErrorBars') x.ticks = { callback: (value: string | number) => `$${value}` };
  copy.plugins = [whiteBackground];
  return copy;
}

/** Renders in Node through @napi-rs/canvas: PNG bytes, or SVG text (text kept as text, so it can be searched and read). */
export function renderChart(config: ChartConfig, format: 'png' | 'svg'): Buffer {
  const { width, height } = CHART_SIZE;
  if (format === 'svg') {
    // Compact SVG with text kept as text, so it can be searched and read.
    const canvas = createCanvas(width, height, SvgExportFlag.NoPrettyXML);
    return drawThen(canvas.getContext('2d'), config, () => Buffer.from(renumberIds(canvas.getContent().toString())));
  }
  const canvas = createCanvas(width, height);
  return drawThen(canvas.getContext('2d'), config, () => canvas.encodeSync('png'));
}

/**
 * Skia numbers clip paths from a counter that lives as long as the process; numbering them in the
 * order they appear makes the same chart the same bytes, whatever was drawn before it.
 */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bcl_[0-9a-f]+\b/g, (id) => {
    let renamed = ids.get(id);
    if (renamed === undefined) ids.set(id, (renamed = `cl_${ids.size + 1}`));
    return renamed;
  });
}

/** Draws, takes the picture, then lets the chart go (destroying it clears the canvas, so the picture comes first). */
function drawThen(context: unknown, config: ChartConfig, picture: () => Buffer): Buffer {
  const chart = new Chart(context as ConstructorParameters<typeof Chart>[0], withHooks(config));
  try {
    chart.draw();
    return picture();
  } finally {
    chart.destroy();
  }
}
