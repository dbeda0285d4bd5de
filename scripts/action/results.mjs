// What the action makes of a run's files: the step outputs from result.json, annotations from the
// gate's verdicts (the JSON of `tune compare --json`), and the job summary from report.md. Pure.
import { annotation } from './workflow-commands.mjs';

/** Every output the run step writes; action.yml declares those a workflow reads. */
export const OUTPUTS = [
  'function',
  'memory',
  'params',
  'cost-per-million',
  'median-ms',
  'p95-ms',
  'verdict',
  'result',
  'report',
  'verdicts',
  'out',
  'artifact-name',
];

/** The recommended cell of a result (schema 2) as outputs; empty when nothing was recommended. */
export function recommendationOutputs(result) {
  const spotId = result?.analysis?.sweetSpot?.cellId;
  const cell = result?.analysis?.cells?.find((c) => c.id === spotId);
  if (cell === undefined || cell.durationMs === null) {
    return { function: '', memory: '', params: '', 'cost-per-million': '', 'median-ms': '', 'p95-ms': '' };
  }
  return {
    function: cell.function,
    memory: String(cell.memoryMb),
    params: JSON.stringify(cell.params ?? {}),
    'cost-per-million': plain(cell.costPerMillionUsd),
    'median-ms': plain(cell.durationMs.median),
    'p95-ms': plain(cell.durationMs.p95),
  };
}

/** Six significant digits, written without an exponent for the sizes these numbers have. */
function plain(value) {
  return value === null || value === undefined ? '' : String(Number(value.toPrecision(6)));
}

/** pass, fail or inconclusive from the gate's report; none when there was no gate. */
export function verdictOf(report) {
  return report?.status ?? 'none';
}

/**
 * One annotation per rule that failed (error) or warned (warning), naming each cell it flagged;
 * `file` is the baseline, so the annotation points at what the run was judged against. An
 * inconclusive gate is an error when it failed the step and a warning when it was allowed.
 */
export function gateAnnotations(report, { file, exitCode }) {
  const groups = new Map();
  for (const v of report.verdicts.filter((x) => x.outcome === 'error' || x.outcome === 'warn')) {
    const key = `${v.outcome}\u0000${v.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const lines = [...groups.values()].map((verdicts) => {
    const [first] = verdicts;
    const cells = verdicts.map((v) => `${v.cellId}: ${describeChange(v)}`).join('; ');
    const message = `${verdicts.length} cell${verdicts.length === 1 ? '' : 's'} over the rule: ${cells}`;
    return annotation(first.outcome === 'error' ? 'error' : 'warning', message, { file, title: `lambda-tune: ${first.rule}` });
  });
  if (report.status === 'inconclusive') lines.push(inconclusiveAnnotation(report, { file, exitCode }));
  return lines;
}

function inconclusiveAnnotation(report, { file, exitCode }) {
  const blind = report.blindRules ?? [];
  const what = blind.length === 0 ? 'No relative check could be judged' : `${blind.join(', ')} could judge none of the cells`;
  const message = `${what}: the samples are too few to show a change. Measure ${report.invocationsNeeded ?? 'more'} or more invocations a cell.`;
  return annotation(exitCode === 0 ? 'warning' : 'error', message, { file, title: 'lambda-tune: gate inconclusive' });
}

/** A warning when the run stopped before measuring every cell: its recommendation is of the cells it measured. */
export function stoppedAnnotations(result) {
  const stoppedBy = result?.run?.stoppedBy;
  if (stoppedBy === undefined) return [];
  const why = stoppedBy === 'budget' ? 'its budget ran out' : 'it was interrupted';
  return [
    annotation('warning', `The run stopped before measuring every cell (${why}): the outputs and the report cover only the cells it measured.`, {
      title: 'lambda-tune: run stopped early',
    }),
  ];
}

/** `47.1 ms → 53.0 ms (12.5% worse; a real change (p = 0.004, …))`: the numbers, then the gate's reason. */
function describeChange(v) {
  const change = v.changePercent === null ? '' : `${Math.abs(v.changePercent).toFixed(1)}% ${v.changePercent >= 0 ? 'worse' : 'better'}; `;
  return `${formatValue(v, v.baseline)} → ${formatValue(v, v.current)} (${change}${v.reason})`;
}

function formatValue(v, x) {
  if (x === null) return '–';
  switch (v.unit) {
    case 'ms':
      return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
    case 'USD':
      return `$${(x * 1e6).toPrecision(3)} per million`;
    case 'MB':
      return `${Math.round(x)} MB`;
    case '%':
      return `${x.toFixed(1)}%`;
    default:
      return String(Number(x.toPrecision(4)));
  }
}

/**
 * report.md for the job summary. A job summary shows no image from the runner's disk, no data:
 * URI and no inline <svg>, so each chart becomes a link to the run's page, where the uploaded
 * artifact holds it (runUrl undefined outside GitHub Actions: the chart is named, not linked).
 */
export function reportSummary(markdown, { artifactName, runUrl }) {
  const charts = markdown.replace(/!\[([^\]]*)\]\(([^)\s:]+)\)/g, (_, alt, file) => {
    const where = `\`${file}\` in the artifact \`${artifactName}\``;
    return runUrl === undefined ? `Chart (${where}): ${alt}` : `[Chart: ${alt}](${runUrl}) (${where})`;
  });
  return `${charts.trimEnd()}\n\n`;
}

/** The summary's note when the CLI stopped before writing a report. */
export function failureSummary(mode, exitCode) {
  const what = exitCode === 1 ? 'the gate failed' : exitCode === 2 ? 'an input or file was refused' : 'a runtime or AWS error';
  return `### lambda-tune ${mode}: stopped (exit code ${exitCode}: ${what})\n\nThe step's log says why and what to do.\n\n`;
}

/** The run's page, where its artifacts are listed; undefined outside GitHub Actions. */
export function runUrlOf(env) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId) return undefined;
  return `${server}/${repository}/actions/runs/${runId}`;
}
