/** The files a run writes, by format. result.json first: whatever fails later, the measurements are on disk. */
export const REPORT_FORMATS = ['json', 'md', 'html', 'png', 'svg', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
