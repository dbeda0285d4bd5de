import { escapeTable, type TextTable } from './columns.js';
import { terminalText } from './escape.js';

/** A table in fixed-width text: headers, a rule under them, then the rows, each column padded to its widest text (escaped for the terminal). */
export function terminalTable(table: TextTable): string {
  const { headers, align, rows } = escapeTable(table, terminalText);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (align[i] === 'left' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}
