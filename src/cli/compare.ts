import { appendFileSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { loadGateConfig } from '../config/gate-config.js';
import { badFlag, EXIT } from '../errors.js';
import { compareResults, type GateReport } from '../gate/compare.js';
import { gatePassed, renderGateMarkdown, renderGateTerminal } from '../gate/render.js';
import { DEFAULT_RULES, parseRule } from '../gate/rules.js';
import { readResult } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import type { CliIo } from './io.js';

export interface GateOptions {
  rule: string[];
  confidence?: number | undefined;
  json: boolean;
  markdown?: string | undefined;
  config?: string | undefined;
}

export interface CompareOptions extends GateOptions {
  baseline: string;
  current: string;
}

/** The gate's own flags, shared by `tune compare` and `tune --baseline`. */
export function gateOptions(yargs: Argv): Argv {
  return yargs
    .option('rule', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: `Rule as "METRIC[:STAT] > N[%] [warn|error] [all|recommended]" (repeatable; default: ${DEFAULT_RULES.join('; ')})`,
    })
    .option('confidence', { type: 'number', describe: "How sure the test must be that a change is real, 0.5..0.999 (default: the config's, else 0.95)" })
    .option('markdown', { type: 'string', describe: 'Also write the verdicts as Markdown to this file (GITHUB_STEP_SUMMARY gets them when set)' });
}

export function buildCommand(yargs: Argv): Argv<CompareOptions> {
  return gateOptions(yargs)
    .usage(
      '$0 compare BASELINE CURRENT [--rule ...]\n\nFail when CURRENT (a result.json) is slower, dearer or hungrier than BASELINE beyond the rules, and the change is real.',
    )
    .positional('baseline', { type: 'string', describe: 'The committed baseline result.json' })
    .positional('current', { type: 'string', describe: 'The result.json of the run to check' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the verdicts as JSON' })
    .option('config', {
      type: 'string',
      describe: 'Config file whose "gate" section holds rules and confidence (default ./tune.config.json if present)',
    }) as unknown as Argv<CompareOptions>;
}

export async function runCommand(options: CompareOptions, io: CliIo): Promise<number> {
  const baseline = readResult(path.resolve(io.cwd, options.baseline), 'baseline');
  const current = readResult(path.resolve(io.cwd, options.current));
  return gate(baseline, current, options, io);
}

/** Runs the rules, prints the verdicts, and returns the exit code: 1 on an error-level regression. */
export function gate(baseline: TuneResult, current: TuneResult, options: GateOptions, io: CliIo): number {
  const fromConfig = loadGateConfig(options.config, io.cwd);
  const confidence = options.confidence ?? fromConfig.confidence ?? 0.95;
  if (!(confidence >= 0.5 && confidence < 1)) {
    throw badFlag('--confidence', `must be at least 0.5 and below 1 (got ${confidence}).`, 'For example --confidence 0.95.');
  }
  // Flags win over the config file, which wins over the defaults.
  const rules = (options.rule.length > 0 ? options.rule : (fromConfig.rules ?? DEFAULT_RULES)).map(parseRule);
  const report: GateReport = compareResults(baseline, current, rules, confidence);
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderGateTerminal(report));
  const markdown = renderGateMarkdown(report);
  if (options.markdown !== undefined) {
    mkdirSync(path.dirname(path.resolve(io.cwd, options.markdown)), { recursive: true });
    appendFileSync(path.resolve(io.cwd, options.markdown), markdown);
  }
  const summary = io.env['GITHUB_STEP_SUMMARY'];
  if (summary !== undefined && summary !== '') appendFileSync(summary, markdown);
  return gatePassed(report) ? EXIT.ok : EXIT.regression;
}


/** Writes the current result as the new baseline to commit. */
export function updateBaseline(resultFile: string, baselineFile: string): void {
  mkdirSync(path.dirname(baselineFile), { recursive: true });
  copyFileSync(resultFile, baselineFile);
}
