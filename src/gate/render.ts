import { formatMs, formatUsd } from '../report/format.js';
import type { GateReport, Verdict } from './compare.js';

function value(v: Verdict, x: number | null): string {
  if (x === null) return '–';
  switch (v.unit) {
    case 'ms':
      return formatMs(x);
    case 'USD':
      return `${formatUsd(x * 1e6)}/1M`;
    case 'MB':
      return `${Math.round(x)} MB`;
    case '%':
      return `${x.toFixed(1)}%`;
    default:
      return x.toPrecision(4);
  }
}

function change(v: Verdict): string {
  if (v.changePercent === null) return '–';
  const amount = `${Math.abs(v.changePercent).toFixed(1)}%`;
  return v.changePercent >= 0 ? `${amount} worse` : `${amount} better`;
}

export function gatePassed(report: GateReport): boolean {
  return report.errors === 0;
}

function headline(report: GateReport): string {
  const status = report.errors > 0 ? 'FAIL' : report.warnings > 0 ? 'PASS with warnings' : 'PASS';
  const skipped = report.skipped === 0 ? '' : `, ${report.skipped} skipped`;
  return `gate: ${status}: ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}${skipped} in ${report.verdicts.length} checks (${report.test}, ${report.confidence * 100}% confidence)`;
}

/** Skipped checks: one line each with --verbose, else one line per reason with its count and what to do. */
function skippedLines(report: GateReport, verbose: boolean): string[] {
  const skipped = report.verdicts.filter((v) => v.outcome === 'skipped');
  if (verbose) return skipped.map((v) => `Skipped ${v.rule} for ${v.cellId}: ${v.reason}.`);
  const groups = new Map<string, Verdict[]>();
  for (const v of skipped) {
    const key = v.skip === undefined ? `other:${v.rule}:${v.cellId}` : `${v.metric === 'coldStart' ? 'cold' : 'warm'}:${v.skip.why}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  return [...groups.values()].map((group) => summarizeSkipped(group, report.confidence));
}

function summarizeSkipped(group: readonly Verdict[], confidence: number): string {
  const [first] = group;
  if (first?.skip === undefined) return group.map((v) => `Skipped ${v.rule} for ${v.cellId}: ${v.reason}.`).join('\n');
  const fewest = Math.min(...group.map((v) => v.skip?.samples ?? 0));
  const needed = Math.max(...group.map((v) => v.skip?.needed ?? 0));
  const checks = `${group.length} ${first.metric === 'coldStart' ? 'cold-start ' : ''}check${group.length === 1 ? '' : 's'} skipped`;
  const what = first.skip.why === 'too-few' ? 'are too few to compare' : `cannot show a change at ${confidence * 100}% confidence`;
  const samples = `${fewest} ${first.metric === 'coldStart' ? 'cold start' : 'sample'}${fewest === 1 ? '' : 's'} a cell ${what}`;
  const remedy =
    first.metric === 'coldStart'
      ? `a run measures one cold start per memory size, ${needed} are needed; leave the coldStart rule out if cold starts do not matter`
      : `use --invocations ${needed} or more`;
  return `${checks}: ${samples}; ${remedy} (--verbose lists them).`;
}

function context(report: GateReport, verbose: boolean): string[] {
  const lines: string[] = [];
  if (report.sweetSpot.moved) lines.push(`The sweet spot moved: ${report.sweetSpot.baseline ?? 'none'} → ${report.sweetSpot.current ?? 'none'}.`);
  if (report.cellsAdded.length > 0) lines.push(`New cells (not in the baseline): ${report.cellsAdded.join(', ')}.`);
  if (report.cellsRemoved.length > 0) lines.push(`Cells gone since the baseline: ${report.cellsRemoved.join(', ')}.`);
  lines.push(...skippedLines(report, verbose));
  const noise = report.verdicts.filter((v) => v.outcome === 'noise').length;
  if (noise > 0) lines.push(`${noise} check${noise === 1 ? ' was' : 's were'} over a threshold but within noise.`);
  return lines;
}

/** One line per rule and cell that fails or warns, then what else changed, then the summary. */
export function renderGateTerminal(report: GateReport, verbose = false): string {
  const lines = report.verdicts
    .filter((v) => v.outcome === 'error' || v.outcome === 'warn')
    .map(
      (v) =>
        `${v.outcome === 'error' ? '✗ error' : '! warn '}  ${v.cellId}  ${v.rule}: ${value(v, v.baseline)} → ${value(v, v.current)} (${change(v)}); ${v.reason}`,
    );
  return `${[...lines, ...context(report, verbose), headline(report)].join('\n')}\n`;
}

/** For a pull request (and GITHUB_STEP_SUMMARY). */
export function renderGateMarkdown(report: GateReport, verbose = false): string {
  const flagged = report.verdicts.filter((v) => v.outcome === 'error' || v.outcome === 'warn');
  const rows = flagged.map(
    (v) =>
      `| ${v.outcome === 'error' ? '❌ error' : '⚠️ warn'} | ${v.cellId} | \`${v.rule}\` | ${value(v, v.baseline)} | ${value(v, v.current)} | ${change(v)} | ${v.pValue === null ? '–' : v.pValue.toFixed(3)} |`,
  );
  return [
    `### lambda-tune gate: ${report.errors > 0 ? '❌ regression' : report.warnings > 0 ? '⚠️ passed with warnings' : '✅ passed'}`,
    '',
    headline(report).replace(/^gate: /, ''),
    '',
    ...(rows.length === 0 ? [] : ['| level | cell | rule | baseline | current | change | p |', '| --- | --- | --- | ---: | ---: | ---: | ---: |', ...rows, '']),
    ...context(report, verbose).map((line) => `- ${line}`),
    '',
  ].join('\n');
}
