import type { TextTable } from './columns.js';
import { markdownTableCell } from './escape.js';

/** A GitHub-flavoured Markdown table of cells already written as Markdown (escaped text, code spans); a pipe in one cannot end it. */
export function markdownTable({ headers, align, rows }: TextTable): string {
  const line = (cells: string[]) => `| ${cells.map(markdownTableCell).join(' | ')} |`;
  const rule = `|${align.map((side) => (side === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
