import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../config/config-file.js';
import { type GateSettings, loadGateSettings } from '../config/gate-config.js';
import { EXIT, explainFileError } from '../errors.js';
import { assertUsableFile } from '../files/paths.js';
import { compareResults, type CompareOptions, type GateReport } from '../gate/compare.js';
import { gatePassed, renderGateMarkdown, renderGateTerminal } from '../gate/render.js';
import { readResult } from '../result/files.js';
import type { TuneResult } from '../result/types.js';
import type { CliIo } from './io.js';
import type { CompareFlags } from './options/compare.js';

export async function runCommand(flags: CompareFlags, io: CliIo): Promise<number> {
  const settings = gateSettingsFromFlags(flags, io);
  const baseline = readResult(path.resolve(io.cwd, flags.baseline), 'baseline');
  const current = readResult(path.resolve(io.cwd, flags.current));
  return gate(baseline, current, settings, { ...io, json: flags.json });
}

/** The gate's settings from flags and config, with the files it will write checked before anything runs. */
export function gateSettingsFromFlags(flags: CompareFlags | Omit<CompareFlags, 'baseline' | 'current' | 'json'>, io: CliIo): GateSettings {
  const settings = loadGateSettings(flags, findConfigFile(flags.config, io.cwd), io.cwd, io.env);
  for (const file of settings.markdownFiles) assertUsableFile("the gate's Markdown file", file);
  return settings;
}

/** Runs the rules, prints the verdicts, writes the Markdown, and returns the exit code: 1 on an error-level regression. */
export function gate(
  baseline: TuneResult,
  current: TuneResult,
  settings: GateSettings,
  io: Pick<CliIo, 'stdout'> & { json: boolean },
  options: CompareOptions = {},
): number {
  return judge(baseline, current, settings, io, options).exitCode;
}

/** The gate, with its report for what comes after it (tune writes it to gate.json, and an apply heeds it). */
export function judge(
  baseline: TuneResult,
  current: TuneResult,
  settings: GateSettings,
  io: Pick<CliIo, 'stdout'> & { json: boolean },
  options: CompareOptions = {},
): { report: GateReport; exitCode: number } {
  const report = compareResults(baseline, current, settings.rules, settings.confidence, options);
  io.stdout.write(io.json ? gateJson(report) : renderGateTerminal(report, settings.verbose));
  const markdown = renderGateMarkdown(report, settings.verbose);
  for (const file of settings.markdownFiles) appendMarkdown(file, markdown);
  return { report, exitCode: gatePassed(report, settings.allowInconclusive) ? EXIT.ok : EXIT.regression };
}

/** The verdicts as `tune compare --json` prints them, and as tune writes them to gate.json. */
export function gateJson(report: GateReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function appendMarkdown(file: string, markdown: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, markdown);
  } catch (error) {
    throw explainFileError(error, "the gate's Markdown file", file, true);
  }
}
