import { paramsText } from '../plan/axes.js';
import type { CellSummary, TuneResult } from '../result/types.js';
import { visible } from './escape.js';
import { isMeasured, type MeasuredCell } from './measured-cell.js';

/**
 * Chart.js configurations for a result, as plain data (no functions), so the same configuration
 * draws the PNG and SVG in Node and the interactive charts in report.html. The renderer adds the
 * few hooks data cannot carry: label text, tick format, the font, the white background. Names
 * from the result are drawn with their control and bidi characters shown as escapes (escape.ts):
 * no SVG can be broken by one, and no label reordered. The canvas's SVG writer escapes markup itself.
 */

/** Okabe–Ito colours (told apart with colour vision deficiencies), paired with a point shape each. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;
const SHAPES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'rectRounded', 'star', 'cross'] as const;

export interface CellPoint {
  x: number;
  y: number;
  yMin: number;
  yMax: number;
  /** The text drawn beside the point. */
  label: string;
  cellId: string;
  memoryMb: number;
  /** The cell's parameters as text (`chunkSizeMb=20, mode=threads`); empty when it has none. */
  params: string;
  p95Ms: number;
  n: number;
  costPerInvocationUsd: number;
}

type Dataset = Record<string, unknown>;
export type ChartConfig = Record<string, unknown> & { type: string; data: { datasets: Dataset[]; labels?: unknown[] } };

export const CHART_SIZE = { width: 960, height: 600 } as const;

/** Drawn once, at a fixed size and pixel ratio, so the same result draws the same picture. */
const STILL = { animation: false, responsive: false, devicePixelRatio: 1 } as const;

/** One function with one combination of parameters: a line or a set of points of one colour and shape. */
interface Series {
  fn: string;
  /** The parameters as text; empty when the run varied none. */
  params: string;
  cells: CellSummary[];
  style: { colour: string; shape: string; hollow: boolean };
}

/** More lines than this cannot be told apart by colour and shape; the rest are left to the tables. */
export const MAX_SERIES = COLOURS.length;

/** Every function × parameter combination that has cells, in the order the cells come. */
function allSeries(result: TuneResult): Omit<Series, 'style'>[] {
  const byKey = new Map<string, Omit<Series, 'style'>>();
  for (const cell of result.analysis.cells) {
    const params = paramsText(cell.params, result.plan.axes);
    const key = `${cell.function}\u0000${params}`;
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, { fn: cell.function, params, cells: [cell] });
    else found.cells.push(cell);
  }
  return [...byKey.values()];
}

/**
 * The series a chart draws: all of them when they can be told apart, else a selection of
 * MAX_SERIES: the ones holding the sweet spot and the frontier first, then the lowest cost × duration.
 */
function series(result: TuneResult): Series[] {
  const all = allSeries(result);
  const chosen = all.length <= MAX_SERIES ? all : [...all].sort((a, b) => seriesRank(a, result) - seriesRank(b, result)).slice(0, MAX_SERIES);
  const shown = all.filter((s) => chosen.includes(s));
  const combos = [...new Set(shown.map((s) => s.params))];
  const fns = result.functions.map((f) => f.name);
  return shown.map((s) => {
    const index = combos.indexOf(s.params);
    return { ...s, style: { colour: cycle(COLOURS, index), shape: cycle(SHAPES, index), hollow: fns.indexOf(s.fn) % 2 === 1 } };
  });
}

/** Lower ranks first: the sweet spot's series, then the frontier's, then by the best cost × median duration. */
function seriesRank(s: Omit<Series, 'style'>, result: TuneResult): number {
  if (s.cells.some((c) => c.id === result.analysis.sweetSpot?.cellId)) return -2;
  if (s.cells.some((c) => c.onFrontier)) return -1;
  const scores = s.cells.filter(drawable).map((c) => c.costPerMillionUsd * c.durationMs.median);
  return scores.length === 0 ? Number.MAX_VALUE : scores.reduce((a, b) => Math.min(a, b));
}

/** How many series a chart leaves out, for its subtitle. */
function leftOut(result: TuneResult): number {
  return Math.max(0, allSeries(result).length - MAX_SERIES);
}

function cycle<T>(items: readonly [T, ...T[]], index: number): T {
  return items[index % items.length] ?? items[0];
}

function seriesLabel(s: Series, several: boolean): string {
  const params = visible(s.params);
  const fn = visible(s.fn);
  if (!several) return params === '' ? fn : params;
  return params === '' ? fn : `${fn} · ${params}`;
}

/** Cells a chart can place: measured, and not failed. */
function drawable(cell: CellSummary): cell is MeasuredCell {
  return !cell.failed && isMeasured(cell);
}

function point(cell: MeasuredCell): CellPoint {
  const d = cell.durationMs;
  return {
    x: round(cell.costPerMillionUsd, 4),
    y: round(d.median, 2),
    yMin: round(d.medianCi.low, 2),
    yMax: round(d.medianCi.high, 2),
    label: `${cell.memoryMb} MB`,
    cellId: visible(cell.id),
    memoryMb: cell.memoryMb,
    params: visible(paramsText(cell.params)),
    p95Ms: round(d.p95, 2),
    n: cell.invocations,
    costPerInvocationUsd: cell.costPerInvocationUsd,
  };
}

/** Median duration against cost per million, one point per cell, the frontier drawn and the sweet spot marked. */
export function costDurationChart(result: TuneResult): ChartConfig {
  const several = result.functions.length > 1;
  const datasets = [...cellDatasets(result, several), frontierDataset(result), ...sweetSpotDatasets(result, several)];
  return { type: 'scatterWithErrorBars', data: { datasets }, options: costDurationOptions(result) };
}

function cellDatasets(result: TuneResult, several: boolean): Dataset[] {
  return series(result)
    .filter((s) => s.cells.some(drawable))
    .map((s) => ({
      label: seriesLabel(s, several),
      data: s.cells.filter(drawable).map(point),
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
}

/** The Pareto frontier as a dashed line through its cells, cheapest first. */
function frontierDataset(result: TuneResult): Dataset {
  const frontier = result.analysis.cells
    .filter(drawable)
    .filter((c) => c.onFrontier)
    .map(point)
    .sort((a, b) => a.x - b.x);
  return {
    type: 'line',
    label: 'Pareto frontier (nothing is both cheaper and faster)',
    data: frontier.map(({ x, y }) => ({ x, y })),
    borderColor: '#555555',
    borderDash: [6, 4],
    borderWidth: 1.5,
    pointRadius: 0,
    fill: false,
    datalabels: { display: false },
  };
}

/** A ring around the sweet spot with its label in bold; none when nothing was recommended. */
function sweetSpotDatasets(result: TuneResult, several: boolean): Dataset[] {
  const sweet = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
  if (sweet === undefined || !isMeasured(sweet)) return [];
  const p = point(sweet);
  const label = sweetLabel(sweet, several);
  return [
    {
      type: 'scatter',
      label: `sweet spot: ${label}`,
      data: [{ x: p.x, y: p.y, label: `★ sweet spot: ${label}` }],
      backgroundColor: 'rgba(0,0,0,0)',
      borderColor: '#000000',
      borderWidth: 3,
      pointStyle: 'circle',
      pointRadius: 16,
      pointHoverRadius: 18,
      datalabels: {
        display: true,
        align: leansLeft(result, p.x) ? -155 : -25,
        anchor: 'center',
        offset: 20,
        clamp: true,
        color: '#000000',
        font: { weight: 'bold', size: 14 },
      },
    },
  ];
}

/** Whether a label at this cost should lean left: away from the nearer edge, so it stays inside the chart. */
function leansLeft(result: TuneResult, costPerMillionUsd: number): boolean {
  const costs = result.analysis.cells.filter(drawable).map((c) => c.costPerMillionUsd);
  const cheapest = Math.min(...costs);
  const span = Math.max(...costs) - cheapest;
  return span > 0 && (costPerMillionUsd - cheapest) / span > 0.6;
}

function costDurationOptions(result: TuneResult): Record<string, unknown> {
  const logarithmic = durationsSpread(result);
  return {
    ...STILL,
    layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
    plugins: {
      title: {
        display: true,
        text: `${result.functions.map((f) => visible(f.name)).join(' vs ')}: median duration against cost (lower left is better)`,
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
  };
}

/** Durations more than five times apart read better on a log scale. */
function durationsSpread(result: TuneResult): boolean {
  const durations = result.analysis.cells.filter(drawable).map((c) => c.durationMs.median);
  return durations.length > 1 && Math.max(...durations) / Math.min(...durations) > 5;
}

/** Median duration (solid) and cost per million (dashed) against memory, one line each per chunk size. */
export function memoryChart(result: TuneResult): ChartConfig {
  const memories = result.plan.memoryMb;
  const several = result.functions.length > 1;
  const datasets = series(result).flatMap((s) => memoryDatasets(s, memories, several));
  const hidden = leftOut(result);
  const subtitle = `A missing point is a cell that failed.${hidden === 0 ? '' : ` ${hidden} more parameter combinations in the tables.`}`;
  const options = { ...MEMORY_OPTIONS, plugins: { ...MEMORY_OPTIONS.plugins, subtitle: { display: true, text: subtitle } } };
  return { type: 'line', data: { labels: memories.map((m) => `${m} MB`), datasets }, options };
}

/** A series' two lines: duration on the left axis, cost on the right; a gap where a cell failed. */
function memoryDatasets(s: Series, memories: readonly number[], several: boolean): Dataset[] {
  const drawn = s.cells.filter(drawable);
  const cells = memories.map((m) => drawn.find((c) => c.memoryMb === m));
  const common = {
    borderColor: s.style.colour,
    backgroundColor: s.style.hollow ? '#ffffff' : s.style.colour,
    pointStyle: s.style.shape,
    pointRadius: 5,
    borderWidth: 2,
    spanGaps: false,
    datalabels: { display: false },
  };
  const label = seriesLabel(s, several);
  return [
    { ...common, label: `${label}: duration`, yAxisID: 'duration', data: cells.map((c) => (c === undefined ? null : round(c.durationMs.median, 2))) },
    {
      ...common,
      label: `${label}: cost`,
      yAxisID: 'cost',
      borderDash: [6, 4],
      data: cells.map((c) => (c === undefined ? null : round(c.costPerMillionUsd, 4))),
    },
  ];
}

const MEMORY_OPTIONS = {
  ...STILL,
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
};

function sweetLabel(cell: CellSummary, several: boolean): string {
  const params = paramsText(cell.params);
  return `${several ? `${visible(cell.function)} ` : ''}${cell.memoryMb} MB${params === '' ? '' : `, ${visible(params)}`}`;
}

function subtitle(result: TuneResult): string {
  const several = result.functions.length > 1;
  const failed = result.analysis.cells
    .filter((c) => c.failed)
    .map((c) => {
      const params = paramsText(c.params);
      return `${c.memoryMb} MB${params === '' ? '' : ` ${visible(params)}`}${several ? ` (${visible(c.function)})` : ''}`;
    });
  const hidden = leftOut(result);
  const labels = `labels: memory size${hidden === 0 ? '' : ` · ${hidden} more parameter combinations in the tables`}`;
  return failed.length === 0 ? labels : `${labels} · failed, not shown: ${failed.join(', ')}`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
