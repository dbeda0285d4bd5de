import type { CellSummary, TuneResult } from '../result/types.js';

/**
 * Chart.js configurations for a result, as plain data (no functions), so the same configuration
 * draws the PNG and SVG in Node and the interactive charts in report.html. The renderer adds the
 * few hooks data cannot carry: label text, tick format, the white background.
 */

/** Okabe–Ito colours (told apart with colour vision deficiencies), paired with a point shape each. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const SHAPES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'rectRounded', 'star', 'cross'];

export interface CellPoint {
  x: number;
  y: number;
  yMin: number;
  yMax: number;
  /** The text drawn beside the point. */
  label: string;
  cellId: string;
  memoryMb: number;
  chunkMb: number | null;
  p95Ms: number;
  n: number;
  costPerInvocationUsd: number;
}

export type ChartConfig = Record<string, unknown> & { type: string; data: { datasets: Record<string, unknown>[]; labels?: unknown[] } };

export const CHART_SIZE = { width: 960, height: 600 } as const;

interface Series {
  fn: string;
  chunkMb: number | null;
  cells: CellSummary[];
  style: { colour: string; shape: string; hollow: boolean };
}

function series(result: TuneResult): Series[] {
  const chunks = result.plan.chunkMb;
  const functions = result.functions.map((f) => f.name);
  return functions.flatMap((fn, fnIndex) =>
    chunks.map((chunkMb, chunkIndex) => ({
      fn,
      chunkMb,
      cells: result.analysis.cells.filter((c) => c.function === fn && c.chunkMb === chunkMb),
      style: { colour: COLOURS[chunkIndex % COLOURS.length]!, shape: SHAPES[chunkIndex % SHAPES.length]!, hollow: fnIndex % 2 === 1 },
    })),
  );
}

function seriesLabel(s: Series, several: boolean): string {
  const chunk = s.chunkMb === null ? '' : `${s.chunkMb} MB chunks`;
  return several ? `${s.fn}${chunk === '' ? '' : ` · ${chunk}`}` : chunk === '' ? s.fn : chunk;
}

function point(cell: CellSummary): CellPoint {
  const d = cell.durationMs!;
  return {
    x: round(cell.costPerMillionUsd!, 4),
    y: round(d.median, 2),
    yMin: round(d.medianCi.low, 2),
    yMax: round(d.medianCi.high, 2),
    label: `${cell.memoryMb} MB`,
    cellId: cell.id,
    memoryMb: cell.memoryMb,
    chunkMb: cell.chunkMb,
    p95Ms: round(d.p95, 2),
    n: cell.invocations,
    costPerInvocationUsd: cell.costPerInvocationUsd!,
  };
}

const measured = (cell: CellSummary) => !cell.failed && cell.durationMs !== null && cell.costPerMillionUsd !== null;

/** Median duration against cost per million, one point per cell, the frontier drawn and the sweet spot marked. */
export function costDurationChart(result: TuneResult): ChartConfig {
  const several = result.functions.length > 1;
  const all = series(result);
  const datasets: Record<string, unknown>[] = all
    .filter((s) => s.cells.some(measured))
    .map((s) => ({
      label: seriesLabel(s, several),
      data: s.cells.filter(measured).map(point),
      backgroundColor: s.style.hollow ? '#ffffff' : s.style.colour,
      borderColor: s.style.colour,
      borderWidth: 2,
      pointStyle: s.style.shape,
      pointRadius: 7,
      pointHoverRadius: 10,
      errorBarColor: s.style.colour,
      errorBarWhiskerColor: s.style.colour,
      errorBarWidth: 1,
      errorBarWhiskerSize: 10,
      // 'auto' hides a label that would overlap another; the HTML report shows every cell on hover.
      datalabels: { display: 'auto' },
    }));
  const frontier = result.analysis.cells
    .filter((c) => c.onFrontier && measured(c))
    .map(point)
    .sort((a, b) => a.x - b.x);
  datasets.push({
    type: 'line',
    label: 'Pareto frontier (nothing is both cheaper and faster)',
    data: frontier.map(({ x, y }) => ({ x, y })),
    borderColor: '#555555',
    borderDash: [6, 4],
    borderWidth: 1.5,
    pointRadius: 0,
    fill: false,
    datalabels: { display: false },
  });
  const sweet = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  if (sweet !== undefined) {
    const p = point(sweet);
    // The label leans away from the nearer edge, so it stays inside the chart.
    const costs = result.analysis.cells.filter(measured).map((c) => c.costPerMillionUsd!);
    const span = Math.max(...costs) - Math.min(...costs);
    const leftward = span > 0 && (p.x - Math.min(...costs)) / span > 0.6;
    datasets.push({
      type: 'scatter',
      label: `sweet spot: ${sweetLabel(sweet, several)}`,
      data: [{ x: p.x, y: p.y, label: `★ sweet spot: ${sweetLabel(sweet, several)}` }],
      backgroundColor: 'rgba(0,0,0,0)',
      borderColor: '#000000',
      borderWidth: 3,
      pointStyle: 'circle',
      pointRadius: 16,
      pointHoverRadius: 18,
      datalabels: {
        display: true,
        align: leftward ? -155 : -25,
        anchor: 'center',
        offset: 20,
        clamp: true,
        color: '#000000',
        font: { weight: 'bold', size: 14 },
      },
    });
  }
  const durations = result.analysis.cells.filter(measured).map((c) => c.durationMs!.median);
  const logarithmic = durations.length > 1 && Math.max(...durations) / Math.min(...durations) > 5;
  return {
    type: 'scatterWithErrorBars',
    data: { datasets },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: {
          display: true,
          text: `${result.functions.map((f) => f.name).join(' vs ')}: median duration against cost (lower left is better)`,
          font: { size: 16 },
        },
        subtitle: { display: true, text: subtitle(result), padding: { bottom: 8 } },
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        datalabels: { align: 'right', anchor: 'center', offset: 8, color: '#222222', font: { size: 12 }, clamp: true },
      },
      scales: {
        x: { type: 'linear', grace: '12%', title: { display: true, text: 'cost per million invocations (USD)' } },
        y: {
          type: logarithmic ? 'logarithmic' : 'linear',
          ...(logarithmic ? {} : { grace: '10%' }),
          title: { display: true, text: `median duration (ms${logarithmic ? ', log scale' : ''}); bars: 95% interval of the median` },
        },
      },
    },
  };
}

/** Median duration (solid) and cost per million (dashed) against memory, one line each per chunk size. */
export function memoryChart(result: TuneResult): ChartConfig {
  const several = result.functions.length > 1;
  const memories = result.plan.memoryMb;
  const datasets = series(result).flatMap((s) => {
    const at = (memoryMb: number) => s.cells.find((c) => c.memoryMb === memoryMb && measured(c));
    const common = {
      borderColor: s.style.colour,
      backgroundColor: s.style.hollow ? '#ffffff' : s.style.colour,
      pointStyle: s.style.shape,
      pointRadius: 5,
      borderWidth: 2,
      spanGaps: false,
      datalabels: { display: false },
    };
    return [
      {
        ...common,
        label: `${seriesLabel(s, several)}: duration`,
        yAxisID: 'duration',
        data: memories.map((m) => (at(m) === undefined ? null : round(at(m)!.durationMs!.median, 2))),
      },
      {
        ...common,
        label: `${seriesLabel(s, several)}: cost`,
        yAxisID: 'cost',
        borderDash: [6, 4],
        data: memories.map((m) => (at(m) === undefined ? null : round(at(m)!.costPerMillionUsd!, 4))),
      },
    ];
  });
  return {
    type: 'line',
    data: { labels: memories.map((m) => `${m} MB`), datasets },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: 'Median duration (solid) and cost per million invocations (dashed) against memory', font: { size: 16 } },
        subtitle: { display: true, text: 'A missing point is a cell that failed.' },
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        datalabels: { display: false },
      },
      scales: {
        x: { title: { display: true, text: 'memory' } },
        duration: { type: 'logarithmic', position: 'left', title: { display: true, text: 'median duration (ms, log scale)' } },
        cost: { type: 'linear', position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'cost per million invocations (USD)' } },
      },
    },
  };
}

function sweetLabel(cell: CellSummary, several: boolean): string {
  return `${several ? `${cell.function} ` : ''}${cell.memoryMb} MB${cell.chunkMb === null ? '' : `, ${cell.chunkMb} MB chunks`}`;
}

function subtitle(result: TuneResult): string {
  const failed = result.analysis.cells
    .filter((c) => c.failed)
    .map((c) => `${c.memoryMb} MB${c.chunkMb === null ? '' : `/${c.chunkMb} MB`}${result.functions.length > 1 ? ` (${c.function})` : ''}`);
  const labels = 'labels: memory size';
  return failed.length === 0 ? labels : `${labels} · failed, not shown: ${failed.join(', ')}`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
