import type { Argv } from 'yargs';
import { REPORT_FORMATS } from '../../report/formats.js';

export interface ReportFlags {
  result: string;
  format: string;
  out?: string | undefined;
  template: string[];
}

export function reportOptions(yargs: Argv): Argv<ReportFlags> {
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
    }) as unknown as Argv<ReportFlags>;
}
