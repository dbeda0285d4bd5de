import type { TextTable } from './columns.js';

/** A GitHub-flavoured Markdown table; a pipe or line break inside a cell cannot end it. */
export function markdownTable({ headers, align, rows }: TextTable): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const rule = `|${align.map((side) => (side === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** A code span that holds any backticks inside it (a fence one longer than the longest run). */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}
