/** How a column's text lines up: numbers to the right, words to the left. */
export type Align = 'left' | 'right';

/** One column of a report table, defined once for every format: its header, its alignment, its text for an item. */
export interface Column<T> {
  header: string;
  /** Where width is scarce (the terminal), a shorter header. */
  shortHeader?: string;
  align: Align;
  text: (item: T) => string;
}

/** A table as text, before a format lays it out. */
export interface TextTable {
  headers: string[];
  align: Align[];
  rows: string[][];
}

/** The items as rows under the columns' headers. */
export function tabulate<T>(columns: readonly Column<T>[], items: readonly T[], { short = false } = {}): TextTable {
  return {
    headers: columns.map((column) => (short ? (column.shortHeader ?? column.header) : column.header)),
    align: columns.map((column) => column.align),
    rows: items.map((item) => columns.map((column) => column.text(item))),
  };
}

/** The table with every header and cell made safe for a format (escaped for Markdown, HTML or the terminal). */
export function escapeTable({ headers, align, rows }: TextTable, escape: (text: string) => string): TextTable {
  return { headers: headers.map(escape), align, rows: rows.map((row) => row.map(escape)) };
}
