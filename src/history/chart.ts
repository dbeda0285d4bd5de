import type { ChartConfig } from '../report/chart-config.js';
import { visible } from '../report/escape.js';
import { configText, runLabel } from './text.js';
import type { History, HistoryRun } from './types.js';

/** The chart's file name without its extension; report-history.md links the SVG. */
export const HISTORY_CHART = 'chart-history';

/** From the Okabe–Ito palette the other charts use: duration blue, cost vermillion, change points black. */
const DURATION_COLOUR = '#0072B2';
const COST_COLOUR = '#D55E00';
const CHANGE_COLOUR = '#000000';

/** Above this many runs the points are left out and only the lines drawn: a thousand markers are a smear. */
const MAX_MARKED_RUNS = 60;

/**
 * The trend as a Chart.js configuration of plain data (as chart-config.ts makes the others): the
 * recommended configuration's median duration (solid) and cost per million (dashed) over runs, its
 * name written where it changes, and the change points marked. A run with no recommendation is a gap.
 */
export function historyChart(history: History): ChartConfig {
  const runs = history.runs;
  const pointRadius = runs.length > MAX_MARKED_RUNS ? 0 : 4;
  return {
    type: 'line',
    data: { labels: runs.map((run) => visible(runLabel(run))), datasets: [durationLine(runs, pointRadius), costLine(runs, pointRadius), changeMarks(history)] },
    options: chartOptions(history),
  };
}

function durationLine(runs: readonly HistoryRun[], pointRadius: number): Record<string, unknown> {
  return {
    label: 'median duration of the recommended configuration',
    yAxisID: 'duration',
    // x is the run's index: labels (dates, commits) may repeat, an index never does.
    data: runs.map((run, x) => ({
      x,
      y: run.recommended === null ? null : round(run.recommended.medianMs, 2),
      label: run.recommended !== null && run.recommendationChanged ? visible(configText(run.recommended)) : '',
    })),
    borderColor: DURATION_COLOUR,
    backgroundColor: DURATION_COLOUR,
    borderWidth: 2,
    pointRadius,
    spanGaps: false,
    // 'auto' hides a label that would overlap another; the tables name every run's configuration.
    datalabels: { display: 'auto', align: 'top', anchor: 'end', offset: 6, color: '#222222', font: { size: 12 }, clamp: true },
  };
}

function costLine(runs: readonly HistoryRun[], pointRadius: number): Record<string, unknown> {
  return {
    label: 'cost per million invocations',
    yAxisID: 'cost',
    data: runs.map((run) => (run.recommended === null ? null : round(run.recommended.costPerMillionUsd, 4))),
    borderColor: COST_COLOUR,
    backgroundColor: COST_COLOUR,
    borderDash: [6, 4],
    borderWidth: 2,
    pointRadius,
    pointStyle: 'rect',
    spanGaps: false,
    datalabels: { display: false },
  };
}

/** A triangle on the duration line at each run where performance shifted. */
function changeMarks(history: History): Record<string, unknown> {
  const changed = new Set(history.changePoints);
  return {
    label: 'change point: a cell moved beyond the noise',
    yAxisID: 'duration',
    data: history.runs.map((run) => (changed.has(run.number) && run.recommended !== null ? round(run.recommended.medianMs, 2) : null)),
    showLine: false,
    pointStyle: 'triangle',
    pointRadius: 10,
    borderColor: CHANGE_COLOUR,
    backgroundColor: CHANGE_COLOUR,
    datalabels: { display: false },
  };
}

function chartOptions(history: History): Record<string, unknown> {
  return {
    animation: false,
    responsive: false,
    devicePixelRatio: 1,
    layout: { padding: labelRoom(history) },
    plugins: {
      title: { display: true, text: title(history), font: { size: 16 } },
      subtitle: { display: true, text: subtitle(history), padding: { bottom: 8 } },
      legend: { position: 'bottom', labels: { usePointStyle: true } },
      datalabels: { display: false },
    },
    scales: {
      x: {
        offset: true,
        title: { display: true, text: history.orderedBy === 'commit' ? 'commit' : 'run (started, UTC)' },
        ticks: { autoSkip: true, maxRotation: 45 },
      },
      duration: { type: 'linear', position: 'left', grace: '15%', title: { display: true, text: 'median duration (ms)' } },
      cost: {
        type: 'linear',
        position: 'right',
        grace: '15%',
        grid: { drawOnChartArea: false },
        title: { display: true, text: 'cost per million invocations (USD)' },
      },
    },
  };
}

/** About how wide a 12 px DejaVu Sans character is, and how much of a label the axis beside it already makes room for. */
const CHARACTER_PX = 7;
const AXIS_PX = 40;

/**
 * Padding so that a label centred over the first or the last run is not cut off at the edge (a
 * label's alignment cannot vary point by point in plain data).
 */
function labelRoom(history: History): { top: number; right: number; bottom: number; left: number } {
  const overhang = (run: HistoryRun | undefined) => {
    if (run?.recommended === undefined || run.recommended === null || !run.recommendationChanged) return 0;
    return Math.max(0, (visible(configText(run.recommended)).length * CHARACTER_PX) / 2 - AXIS_PX);
  };
  return { top: 8, right: 16 + overhang(history.runs.at(-1)), bottom: 8, left: 8 + overhang(history.runs[0]) };
}

function title(history: History): string {
  const functions = [...new Set(history.runs.flatMap((run) => run.functions))].map(visible);
  return `${functions.join(', ')}: the recommended configuration, run by run`;
}

/** What the labels mean, and the runs the lines cannot show. */
function subtitle(history: History): string {
  const parts = ['labels: the recommended configuration where it changes'];
  const none = history.runs.filter((run) => run.recommended === null).map((run) => run.number);
  if (none.length > 0) parts.push(`no recommendation (every cell failed): run ${listed(none)}`);
  const apart = history.runs.filter((run) => run.comparison.status === 'not-comparable').map((run) => run.number);
  if (apart.length > 0) parts.push(`not comparable with the run before: run ${listed(apart)}`);
  return parts.join(' · ');
}

/** Run numbers, at most ten of them, so the subtitle stays on one line. */
function listed(numbers: readonly number[]): string {
  return numbers.length <= 10 ? numbers.join(', ') : `${numbers.slice(0, 10).join(', ')} and ${numbers.length - 10} more`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
