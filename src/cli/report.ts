import path from 'node:path';
import { badFlag } from '../errors.js';
import { assertUsableFolder } from '../files/paths.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/write.js';
import { writeReportFiles } from './write-reports.js';
import { userTemplates } from '../report/template.js';
import { readResult } from '../result/files.js';
import type { CliIo } from './io.js';
import type { ReportFlags } from './options/report.js';

export async function runCommand(options: ReportFlags, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.result);
  const formats = parseFormats(options.format);
  const templates = userTemplates(options.template.map((t) => path.resolve(io.cwd, t)));
  const out = path.resolve(io.cwd, options.out ?? path.dirname(file));
  assertUsableFolder('the output folder (--out)', out);
  const result = readResult(file);
  const written = writeReportFiles(result, out, formats, templates);
  io.stdout.write(`${written.join('\n')}\n`);
  return 0;
}

export function parseFormats(raw: string): ReportFormat[] {
  const formats = raw.split(',').map((f) => f.trim());
  const unknown = formats.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0) throw badFlag('--format:', `${unknown.join(', ')} is not a report format.`, `Choose from ${REPORT_FORMATS.join(', ')}.`);
  return formats as ReportFormat[];
}
