import { markdownCode, markdownText, terminalText } from '../report/escape.js';
import { formatMs, formatUsd } from '../report/format.js';
import { markdownTable } from '../report/markdown-table.js';
import type { GateReport, Verdict } from './compare.js';

/**
 * How a medium shows the text a report carries from the results and rules (cell ids, rules,
 * reasons): escaped for it, so no name can colour the terminal or add Markdown (escape.ts).
 * Rules read as code.
 */
interface Medium {
  text: (text: string) => string;
  code: (text: string) => string;
}

const TERMINAL: Medium = { text: terminalText, code: terminalText };
const MARKDOWN: Medium = { text: markdownText, code: markdownCode };

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

/** Whether the gate lets the change through: no error-level regression, and something was judged (or the user accepts that nothing was). */
export function gatePassed(report: GateReport, allowInconclusive = false): boolean {
  return report.status === 'pass' || (report.status === 'inconclusive' && allowInconclusive);
}

function statusWord(report: GateReport): string {
  if (report.status === 'fail') return 'FAIL';
  if (report.status === 'inconclusive') return 'INCONCLUSIVE';
  return report.warnings > 0 ? 'PASS with warnings' : 'PASS';
}

function headline(report: GateReport, medium: Medium): string {
  const skipped = report.skipped === 0 ? '' : `, ${report.skipped} skipped`;
  const counts = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}${skipped} in ${report.verdicts.length} checks`;
  const { errorFamily, warnFamily } = report.correction;
  const how = `${medium.text(report.test)}, ${report.confidence * 100}% confidence across ${errorFamily} error and ${warnFamily} warning checks (Holm)`;
  return `gate: ${statusWord(report)}: ${counts} (${how})`;
}

/** What an inconclusive comparison needs: said first, since it is why the gate did not pass. */
function inconclusiveLine(report: GateReport, medium: Medium): string[] {
  if (report.status !== 'inconclusive') return [];
  const blind = report.blindRules ?? [];
  const what =
    blind.length === 0
      ? 'No relative check could be judged'
      : `${blind.map((rule) => medium.code(rule)).join(', ')} could judge none of ${blind.length === 1 ? 'its' : 'their'} cells`;
  const more = `Measure ${report.invocationsNeeded ?? 'more'} or more invocations a cell (--invocations), or pass --allow-inconclusive to accept a gate that could not look`;
  return [`${what}: the samples are too few to show a change. ${more}.`];
}

/** Skipped checks: one line each with --verbose, else one line per reason with its count and what to do. */
function skippedLines(report: GateReport, verbose: boolean, medium: Medium): string[] {
  const skipped = report.verdicts.filter((v) => v.outcome === 'skipped');
  if (verbose) return skipped.map((v) => skippedLine(v, medium));
  const groups = new Map<string, Verdict[]>();
  for (const v of skipped) {
    const key = v.skip === undefined ? `other:${v.rule}:${v.cellId}` : `${v.metric === 'coldStart' ? 'cold' : 'warm'}:${v.skip.why}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [v]);
    else group.push(v);
  }
  return [...groups.values()].map((group) => summarizeSkipped(group, report.confidence, medium));
}

function skippedLine(v: Verdict, medium: Medium): string {
  return `Skipped ${medium.code(v.rule)} for ${medium.text(v.cellId)}: ${medium.text(v.reason)}.`;
}

function summarizeSkipped(group: readonly Verdict[], confidence: number, medium: Medium): string {
  const [first] = group;
  if (first?.skip === undefined) return group.map((v) => skippedLine(v, medium)).join('\n');
  let fewest = Infinity;
  let needed = 0;
  for (const v of group) {
    fewest = Math.min(fewest, v.skip?.samples ?? 0);
    needed = Math.max(needed, v.skip?.needed ?? 0);
  }
  const checks = `${group.length} ${first.metric === 'coldStart' ? 'cold-start ' : ''}check${group.length === 1 ? '' : 's'} skipped`;
  const what = first.skip.why === 'too-few' ? 'are too few to compare' : `cannot show a change at ${confidence * 100}% confidence`;
  const samples = `${fewest} ${first.metric === 'coldStart' ? 'cold start' : 'sample'}${fewest === 1 ? '' : 's'} a cell ${what}`;
  const remedy =
    first.metric === 'coldStart'
      ? `a run measures one cold start per memory size, ${needed} are needed; leave the coldStart rule out if cold starts do not matter`
      : `use --invocations ${needed} or more`;
  return `${checks}: ${samples}; ${remedy} (--verbose lists them).`;
}

function context(report: GateReport, verbose: boolean, medium: Medium): string[] {
  const lines: string[] = [];
  const cell = (id: string | null) => (id === null ? 'none' : medium.text(id));
  const cells = (ids: readonly string[]) => ids.map(cell).join(', ');
  if (report.sweetSpot.moved) lines.push(`The sweet spot moved: ${cell(report.sweetSpot.baseline)} → ${cell(report.sweetSpot.current)}.`);
  if (report.cellsAdded.length > 0) lines.push(`New cells (not in the baseline): ${cells(report.cellsAdded)}.`);
  if (report.cellsRemoved.length > 0) lines.push(`Cells gone since the baseline: ${cells(report.cellsRemoved)}.`);
  lines.push(...skippedLines(report, verbose, medium));
  const noise = report.verdicts.filter((v) => v.outcome === 'noise').length;
  if (noise > 0) lines.push(`${noise} check${noise === 1 ? ' was' : 's were'} over a threshold but within noise.`);
  return lines;
}

/** One line per rule and cell that fails or warns, then what else changed, then the summary. */
export function renderGateTerminal(report: GateReport, verbose = false): string {
  const lines = flaggedVerdicts(report).map(
    (v) =>
      `${v.outcome === 'error' ? '✗ error' : '! warn '}  ${TERMINAL.text(v.cellId)}  ${TERMINAL.code(v.rule)}: ${value(v, v.baseline)} → ${value(v, v.current)} (${change(v)}); ${TERMINAL.text(v.reason)}`,
  );
  return `${[...lines, ...inconclusiveLine(report, TERMINAL), ...context(report, verbose, TERMINAL), headline(report, TERMINAL)].join('\n')}\n`;
}

/** For a pull request (and GITHUB_STEP_SUMMARY). */
export function renderGateMarkdown(report: GateReport, verbose = false): string {
  const flagged = flaggedVerdicts(report);
  return [
    `### lambda-tune gate: ${markdownStatus(report)}`,
    '',
    headline(report, MARKDOWN).replace(/^gate: /, ''),
    '',
    ...inconclusiveLine(report, MARKDOWN).flatMap((line) => [line, '']),
    ...(flagged.length === 0 ? [] : [verdictTable(flagged), '']),
    ...context(report, verbose, MARKDOWN).map((line) => `- ${line}`),
    '',
  ].join('\n');
}

function markdownStatus(report: GateReport): string {
  if (report.status === 'fail') return '❌ regression';
  if (report.status === 'inconclusive') return '❔ inconclusive';
  return report.warnings > 0 ? '⚠️ passed with warnings' : '✅ passed';
}

function flaggedVerdicts(report: GateReport): Verdict[] {
  return report.verdicts.filter((v) => v.outcome === 'error' || v.outcome === 'warn');
}

function verdictTable(flagged: readonly Verdict[]): string {
  return markdownTable({
    headers: ['level', 'cell', 'rule', 'baseline', 'current', 'change', 'p'],
    align: ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
    rows: flagged.map((v) => [
      v.outcome === 'error' ? '❌ error' : '⚠️ warn',
      markdownText(v.cellId),
      markdownCode(v.rule),
      value(v, v.baseline),
      value(v, v.current),
      change(v),
      v.pValue === null ? '–' : v.pValue.toFixed(3),
    ]),
  });
}
