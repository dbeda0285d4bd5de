import { describe, expect, it } from 'vitest';
import { type Column, tabulate } from '../../src/report/columns.js';
import { htmlTable } from '../../src/report/html-table.js';
import { markdownTable } from '../../src/report/markdown-table.js';
import { terminalTable } from '../../src/report/terminal-table.js';

interface Size {
  name: string;
  memoryMb: number;
}

const COLUMNS: Column<Size>[] = [
  { header: 'name', align: 'left', text: (s) => s.name },
  { header: 'memory size', shortHeader: 'mem', align: 'right', text: (s) => `${s.memoryMb} MB` },
];
const SIZES: Size[] = [
  { name: 'small', memoryMb: 128 },
  { name: 'a|b', memoryMb: 10240 },
];

describe('columns defined once, laid out by each format', () => {
  it('turns items into rows of text, with short headers on request', () => {
    expect(tabulate(COLUMNS, SIZES)).toEqual({
      headers: ['name', 'memory size'],
      align: ['left', 'right'],
      rows: [
        ['small', '128 MB'],
        ['a|b', '10240 MB'],
      ],
    });
    expect(tabulate(COLUMNS, SIZES, { short: true }).headers).toEqual(['name', 'mem']);
  });

  it('keeps each column’s alignment in the terminal, Markdown and HTML', () => {
    expect(terminalTable(tabulate(COLUMNS, SIZES, { short: true }))).toBe(
      ['name        mem', '─────  ────────', 'small    128 MB', 'a|b    10240 MB'].join('\n'),
    );
    expect(markdownTable(tabulate(COLUMNS, SIZES))).toBe(['| name | memory size |', '| --- | ---: |', '| small | 128 MB |', '| a\\|b | 10240 MB |'].join('\n'));
    expect(htmlTable(tabulate(COLUMNS, SIZES), (i) => (i === 0 ? 'sweet' : undefined))).toBe(
      [
        '<table>',
        '<tr><th class="text">name</th><th>memory size</th></tr>',
        '<tr class="sweet"><td class="text">small</td><td>128 MB</td></tr>',
        '<tr><td class="text">a|b</td><td>10240 MB</td></tr>',
        '</table>',
      ].join('\n'),
    );
  });
});
