import path from 'node:path';
import type { Argv } from 'yargs';
import { badFlag } from '../errors.js';
import { REPORT_FORMATS, type ReportFormat, writeReports } from '../report/write.js';
import { userTemplates } from '../report/template.js';
import { readResult } from '../result/files.js';
import type { CliIo } from './io.js';

export interface ReportOptions {
  result: string;
  format: string;
  out?: string | undefined;
  template: string[];
}

export function buildCommand(yargs: Argv): Argv<ReportOptions> {
  return yargs
    .usage('$0 report RESULT.json [--format md,csv,json] [--out DIR]\n\nRender a result again: the same result gives the same files.')
    .positional('result', { type: 'string', describe: 'A result.json a tune run wrote' })
    .option('format', { type: 'string', default: REPORT_FORMATS.join(','), describe: `Which files, comma separated: ${REPORT_FORMATS.join(', ')}` })
    .option('out', { type: 'string', describe: "Folder to write to (default: the result's folder)" })
    .option('template', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Your copy of templates/report.md or report.html to render with',
    }) as unknown as Argv<ReportOptions>;
}

export async function runCommand(options: ReportOptions, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.result);
  const formats = parseFormats(options.format);
  const templates = userTemplates(options.template.map((t) => path.resolve(io.cwd, t)));
  const result = readResult(file);
  const written = writeReports(result, path.resolve(io.cwd, options.out ?? path.dirname(file)), formats, templates);
  io.stdout.write(`${written.join('\n')}\n`);
  return 0;
}

export function parseFormats(raw: string): ReportFormat[] {
  const formats = raw.split(',').map((f) => f.trim());
  const unknown = formats.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw badFlag('--format:', `${unknown.join(', ')} is not a report format.`, `Choose from ${REPORT_FORMATS.join(', ')}.`);
  return formats as ReportFormat[];
}
