import { explainFileError } from '../errors.js';
import { type ReportFormat, type Templates, writeReports } from '../report/write.js';
import type { TuneResult } from '../result/types.js';

/** Writes the report files; a folder that turns out unusable, or a disk that fills, is said in words. */
export function writeReportFiles(result: TuneResult, out: string, formats: readonly ReportFormat[], templates: Templates = {}): string[] {
  try {
    return writeReports(result, out, formats, templates);
  } catch (error) {
    throw explainFileError(error, 'the reports in', out, false);
  }
}
