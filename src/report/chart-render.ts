import { createCanvas, type SKRSContext2D, SvgExportFlag } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, type Plugin, registerables } from 'chart.js';
import { PointWithErrorBar, ScatterWithErrorBarsController } from 'chartjs-chart-error-bars';
import ChartDataLabels from 'chartjs-plugin-datalabels';
import { CHART_SIZE, type ChartConfig } from './chart-config.js';
import { CHART_FONT_FAMILY, registerChartFont } from './chart-font.js';

Chart.register(...registerables, ScatterWithErrorBarsController, PointWithErrorBar, ChartDataLabels);

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

/** The parts of a configuration the hooks go into. */
interface Hookable {
  type: string;
  options: { plugins?: { datalabels?: DataLabels }; scales?: { x?: { ticks?: unknown } } };
  plugins?: Plugin[];
}
interface DataLabels {
  formatter?: (value: { label?: string } | null) => string;
  font?: Record<string, unknown>;
}

/** The hooks a plain-data configuration cannot carry: the text beside each point, dollar ticks, the font, the background. */
function withHooks(config: ChartConfig): ChartConfiguration {
  const copy = structuredClone(config) as unknown as Hookable;
  const labels = copy.options.plugins?.datalabels;
  if (labels !== undefined) {
    labels.formatter = (value) => value?.label ?? '';
    // The plugin reads the defaults of Chart.js's CommonJS build, not the ones set here, so it is given the family itself.
    labels.font = { ...labels.font, family: CHART_FONT_FAMILY };
  }
  const x = copy.options.scales?.x;
  if (x !== undefined && copy.type === 'scatterWithErrorBars') x.ticks = { callback: (value: string | number) => `$${String(value)}` };
  copy.plugins = [whiteBackground];
  return copy as unknown as ChartConfiguration;
}

/** Renders in Node through @napi-rs/canvas: PNG bytes, or SVG text. */
export function renderChart(config: ChartConfig, format: 'png' | 'svg'): Buffer {
  // The bundled font only, so text is measured, laid out and drawn alike on every machine.
  Chart.defaults.font.family = registerChartFont();
  return format === 'svg' ? renderSvg(config) : renderPng(config);
}

function renderPng(config: ChartConfig): Buffer {
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  return drawThen(portable(canvas.getContext('2d')), config, () => canvas.encodeSync('png'));
}

/** Compact SVG with text kept as text, so it can be searched and read. */
function renderSvg(config: ChartConfig): Buffer {
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height, SvgExportFlag.NoPrettyXML);
  return drawThen(portable(canvas.getContext('2d')), config, () => Buffer.from(renumberIds(canvas.getContent().toString())));
}

/** A fixed language for text shaping; left alone, the canvas follows the host's. */
function portable(context: SKRSContext2D): SKRSContext2D {
  context.lang = 'en';
  return context;
}

/**
 * Skia numbers clip paths from a counter that lives as long as the process; numbering them in the
 * order they appear makes the same chart the same bytes, whatever was drawn before it.
 */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bcl_[0-9a-f]+\b/g, (id) => {
    let renamed = ids.get(id);
    if (renamed === undefined) ids.set(id, (renamed = `cl_${String(ids.size + 1)}`));
    return renamed;
  });
}

/** Draws, takes the picture, then lets the chart go (destroying it clears the canvas, so the picture comes first). */
function drawThen(context: SKRSContext2D, config: ChartConfig, picture: () => Buffer): Buffer {
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], withHooks(config));
  try {
    chart.draw();
    return picture();
  } finally {
    chart.destroy();
  }
}
