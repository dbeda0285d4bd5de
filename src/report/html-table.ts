import type { TextTable } from './columns.js';

/** An HTML table, text escaped; words get class "text" (left-aligned by the template), rows the class rowClass gives them. */
export function htmlTable({ headers, align, rows }: TextTable, rowClass: (index: number) => string | undefined = () => undefined): string {
  const cell = (tag: 'th' | 'td', value: string, i: number) => `<${tag}${align[i] === 'left' ? ' class="text"' : ''}>${escapeHtml(value)}</${tag}>`;
  const head = `<tr>${headers.map((header, i) => cell('th', header, i)).join('')}</tr>`;
  const body = rows.map((row, index) => {
    const name = rowClass(index);
    return `<tr${name === undefined ? '' : ` class="${name}"`}>${row.map((value, i) => cell('td', value, i)).join('')}</tr>`;
  });
  return `<table>\n${head}\n${body.join('\n')}\n</table>`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
