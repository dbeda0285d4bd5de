import type { TextTable } from './columns.js';
import { htmlText } from './escape.js';

/** An HTML table, text escaped; words get class "text" (left-aligned by the template), rows the class rowClass gives them. */
export function htmlTable({ headers, align, rows }: TextTable, rowClass: (index: number) => string | undefined = () => undefined): string {
  const cell = (tag: 'th' | 'td', value: string, i: number) => `<${tag}${align[i] === 'left' ? ' class="text"' : ''}>${htmlText(value)}</${tag}>`;
  const head = `<tr>${headers.map((header, i) => cell('th', header, i)).join('')}</tr>`;
  const body = rows.map((row, index) => {
    const name = rowClass(index);
    return `<tr${name === undefined ? '' : ` class="${name}"`}>${row.map((value, i) => cell('td', value, i)).join('')}</tr>`;
  });
  return `<table>\n${head}\n${body.join('\n')}\n</table>`;
}
