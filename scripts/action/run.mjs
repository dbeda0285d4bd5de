#!/usr/bin/env node
// The GitHub Action's step (action.yml): inputs → the lambda-tune command line → run it → the
// gate's verdicts as JSON (the run's gate.json) → step outputs, job summary, annotations → the CLI's exit code.
// Plain Node.js, nothing to install: it runs the CLI of the checkout it lives in.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, planRun, readInputs } from './inputs.mjs';
import { failureSummary, gateAnnotations, OUTPUTS, recommendationOutputs, reportSummary, runUrlOf, stoppedAnnotations, verdictOf } from './results.mjs';
import { annotation, outputEntry, stopCommands } from './workflow-commands.mjs';

const BIN = fileURLToPath(new URL('../../bin/tune.js', import.meta.url));
const EXIT_USAGE = 2;
const EXIT_RUNTIME = 3;

async function main(env, cwd) {
  let plan;
  try {
    plan = planRun(readInputs(env), cwd);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stdout.write(annotation('error', error.message, { title: 'lambda-tune: action inputs' }));
    return EXIT_USAGE;
  }
  const before = plan.mode === 'compare' ? undefined : fingerprint(plan.resultFile);
  const gateBefore = fingerprint(gateFileOf(plan));
  const { exitCode, stdout } = await runCli(plan.argv, { env, cwd, captureStdout: plan.json });
  // A result this run wrote, whatever the exit code: an interrupted run (exit 3) still reports what it measured.
  const written = plan.mode === 'compare' || fingerprint(plan.resultFile) !== before;
  const report = plan.json ? parseReport(stdout) : written ? (gateOfRun(plan, gateBefore) ?? (await recompare(plan, exitCode, { env, cwd }))) : undefined;
  // Exit 1 is the gate's word, and the gate always leaves its verdicts; exit 1 without them is the CLI failing, not a regression.
  if (exitCode === 1 && report === undefined) {
    process.stdout.write(
      annotation('error', 'lambda-tune exited 1 without a verdict: the command failed (see its output above), not the gate.', { title: 'lambda-tune: failed' }),
    );
    return EXIT_RUNTIME;
  }
  if (plan.json && report === undefined) passOn(stdout);
  const result = written ? readJson(plan.resultFile) : undefined;
  const verdicts = report === undefined ? '' : writeVerdicts(plan.out, report);
  writeOutputs(env, { plan, result, report, verdicts });
  writeSummary(env, plan, result, exitCode);
  for (const line of stoppedAnnotations(result)) process.stdout.write(line);
  if (report !== undefined) announce(plan, report, { env, exitCode });
  return exitCode;
}

/**
 * The CLI as a child process in a process group of its own. The first SIGINT or SIGTERM the step
 * gets (a cancelled job) is passed on once, and the CLI puts the functions back; passing on a
 * second would make it quit at once.
 */
function runCli(argv, { env, cwd, captureStdout }) {
  const fence = stopCommands();
  process.stdout.write(`${fence.stop}lambda-tune ${argv.map(quoted).join(' ')}\n`);
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env, detached: true, stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit'] });
  let forwarded = false;
  const forward = (signal) => {
    if (!forwarded) child.kill(signal);
    forwarded = true;
  };
  process.on('SIGINT', forward).on('SIGTERM', forward);
  let stdout = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      process.stdout.write(fence.resume);
      resolve({ exitCode: code ?? 128 + (constants.signals[signal] ?? 0), stdout });
    });
  });
}

function quoted(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

function gateFileOf(plan) {
  return path.join(plan.out, 'gate.json');
}

/** The verdicts a tune run with a baseline wrote to gate.json beside its result (lambda-tune since `--apply`); not one an earlier run left. */
function gateOfRun(plan, before) {
  if (plan.baseline === undefined) return undefined;
  const file = gateFileOf(plan);
  const after = fingerprint(file);
  if (after === undefined || after === before) return undefined;
  try {
    return parseReport(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A tune run with a baseline by a lambda-tune that writes no gate.json prints its verdicts as text
 * only, so the same gate runs once more as `tune compare --json` on the result the run wrote: the
 * rules and confidence are the run's, the comparison is pure, and the job summary already has its
 * Markdown from the run.
 */
async function recompare(plan, exitCode, { env, cwd }) {
  if (plan.baseline === undefined) return undefined;
  const argv = ['compare', plan.baseline, plan.resultFile, ...plan.gateFlags, '--json'];
  const quiet = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'GITHUB_STEP_SUMMARY'));
  const { stdout } = await runCli(argv, { env: quiet, cwd, captureStdout: true });
  return parseReport(stdout);
}

function parseReport(stdout) {
  try {
    const report = JSON.parse(stdout);
    return Array.isArray(report?.verdicts) ? report : undefined;
  } catch {
    return undefined;
  }
}

/** What the CLI printed on stdout that is not the verdicts (its help, say), shown as it is. */
function passOn(stdout) {
  if (stdout.trim() === '') return;
  const fence = stopCommands();
  process.stdout.write(`${fence.stop}${stdout.endsWith('\n') ? stdout : `${stdout}\n`}${fence.resume}`);
}

/** Tells a result this run wrote from one an earlier run left in the folder (a dry run, a run that failed). */
function fingerprint(file) {
  try {
    const { mtimeMs, size, ino } = statSync(file);
    return `${mtimeMs}:${size}:${ino}`;
  } catch {
    return undefined;
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The verdicts next to the reports, so the uploaded artifact keeps them. */
function writeVerdicts(out, report) {
  const file = path.join(out, 'gate.json');
  mkdirSync(out, { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

function writeOutputs(env, { plan, result, report, verdicts }) {
  const reportFile = path.join(path.dirname(plan.resultFile), 'report.md');
  const values = {
    ...recommendationOutputs(result),
    verdict: verdictOf(report),
    result: result === undefined ? '' : plan.resultFile,
    report: result !== undefined && plan.mode !== 'ab' && existsSync(reportFile) ? reportFile : '',
    verdicts,
    out: plan.out,
    'artifact-name': plan.artifactName,
  };
  const missing = OUTPUTS.filter((name) => !(name in values));
  if (missing.length > 0) throw new Error(`No value for the outputs ${missing.join(', ')}.`);
  appendTo(env.GITHUB_OUTPUT, OUTPUTS.map((name) => outputEntry(name, values[name])).join(''));
}

/**
 * After the gate's own Markdown (which the CLI appends when GITHUB_STEP_SUMMARY is set), a tune
 * run's report.md; a run that stopped before writing a result gets a note that says so.
 */
function writeSummary(env, plan, result, exitCode) {
  const reportFile = path.join(plan.out, 'report.md');
  if (plan.mode === 'tune' && result !== undefined && existsSync(reportFile)) {
    const markdown = reportSummary(readFileSync(reportFile, 'utf8'), { artifactName: plan.artifactName, runUrl: runUrlOf(env) });
    appendTo(env.GITHUB_STEP_SUMMARY, markdown);
  } else if (exitCode > 1 || (result === undefined && exitCode !== 0)) {
    appendTo(env.GITHUB_STEP_SUMMARY, failureSummary(plan.mode, exitCode));
  }
}

/** Annotations for the rules that failed or warned, pointing at the baseline when it is in the repository. */
function announce(plan, report, { env, exitCode }) {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const relative = plan.baseline === undefined ? undefined : path.relative(workspace, plan.baseline);
  const outside = relative === undefined || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  const file = outside ? undefined : relative.split(path.sep).join('/');
  for (const line of gateAnnotations(report, { file, exitCode })) process.stdout.write(line);
  const { status, errors, warnings, verdicts } = report;
  process.stdout.write(`lambda-tune gate: ${status}, ${errors} error(s), ${warnings} warning(s) in ${verdicts.length} checks\n`);
}

/** Appends to a file the runner named; outside GitHub Actions (no such variable) there is nowhere to write. */
function appendTo(file, text) {
  if (file !== undefined && file !== '') appendFileSync(file, text);
}

/** A fault of the action itself: said as one annotation, with the stack in the log, and exit 3 (a runtime failure, never the gate's 1). */
function fault(error) {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.stdout.write(annotation('error', `The action failed: ${error?.message ?? error}`, { title: 'lambda-tune: action' }));
  return EXIT_RUNTIME;
}

process.exitCode = await main(process.env, process.cwd()).catch(fault);
