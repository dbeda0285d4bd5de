import { loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { parseMeasurements } from '../../src/parse/measurements.js';
import { costDurationChart, memoryChart } from '../../src/report/chart-config.js';
import { renderChart } from '../../src/report/chart-render.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import { htmlText, markdownCode, markdownTableCell, markdownText, scriptJson, terminalText, visible } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { HOSTILE, HOSTILE_ERROR, HOSTILE_TIMING, HOSTILE_WORDS, ORDINARY, resultWith } from './hostile.js';
import { codeSpans, htmlTags, linesWithSteering, markdownSkeleton, readInline, scriptText, svgElements, tableCells } from './markup.js';

describe('escape.ts', () => {
  it('leaves the text lambda-tune writes itself as it is', () => {
    for (const text of [
      'hasher-arm',
      'x86_64',
      'us-east-1',
      'f/512MB/chunkSizeMb=20',
      '4: Runtime.OutOfMemory ×4',
      '2.40 s',
      'lowest cost^0.5 × duration^0.5 (1% dearer)',
    ]) {
      expect([visible(text), terminalText(text), markdownText(text), htmlText(text)]).toEqual([text, text, text, text]);
    }
    expect(markdownCode('hasher')).toBe('`hasher`');
  });

  it('shows control characters, line breaks and bidi controls as escapes', () => {
    expect(visible('a\u001b[31mb\nc\r\u0000\u007f\u009b\u202e\u2066\u2028')).toBe('a\\u001b[31mb\\u000ac\\u000d\\u0000\\u007f\\u009b\\u202e\\u2066\\u2028');
    expect(terminalText('\u001b]0;title\u0007')).toBe('\\u001b]0;title\\u0007');
  });

  it('escapes what opens Markdown or HTML, and a block marker only where the text starts', () => {
    expect(markdownText('<img src=x> & *b* `c` [l](u) ~s~ \\')).toBe('\\<img src=x\\> \\& \\*b\\* \\`c\\` \\[l\\](u) \\~s\\~ \\\\');
    expect(markdownText('_a_ x86_64 __b__')).toBe('\\_a\\_ x86_64 \\_\\_b\\_\\_');
    expect(['# h', '- l', '+ l', '=', '12. n', '3) n', 'a # b', '2.40 s'].map(markdownText)).toEqual([
      '\\# h',
      '\\- l',
      '\\+ l',
      '\\=',
      '12\\. n',
      '3\\) n',
      'a # b',
      '2.40 s',
    ]);
  });

  it('builds code spans that hold any backticks and keep their spaces (CommonMark 6.1)', () => {
    const cases = ['a`b', '`a', 'a``', ' a ', '  ', 'x ``` y', '\\'];
    for (const text of cases) expect(readInline(markdownCode(text)).code).toEqual([text]);
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`a')).toBe('`` `a ``');
    expect(markdownCode(' a ')).toBe('`  a  `');
  });

  it('keeps a pipe, in text or code, inside its table cell', () => {
    for (const markdown of [markdownText('a|b\\|c'), markdownCode('a|b\\|c`')]) {
      const cells = tableCells(`| ${markdownTableCell(markdown)} | x |`);
      expect(cells).toHaveLength(2);
      expect(cells[0]).toBe(markdown);
    }
  });

  it('escapes HTML text and attributes, and JSON so it cannot end its script', () => {
    expect(htmlText(`<a href="x" title='y'>&\u001b`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;\\u001b');
    const value = { label: '</script><!-- & \u2028\u2029 -->' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('a result full of hostile strings', () => {
  const hostile = resultWith(HOSTILE_WORDS);
  const ordinary = resultWith(ORDINARY);

  it('adds no markup, line or table column to report.md', () => {
    const md = renderMarkdown(hostile);
    expect(linesWithSteering(md)).toEqual([]);
    // The same lines, table cells and markup as the ordinary result's report: the values added none.
    expect(markdownSkeleton(md)).toEqual(markdownSkeleton(renderMarkdown(ordinary)));
    // The names are there, as code, shown as they are (control characters as escapes).
    expect(codeSpans(md)).toContain(visible(HOSTILE));
    expect(codeSpans(md)).toContain(visible(`${HOSTILE}-arm`));
    expect(md).toContain(`| ${markdownTableCell(markdownText(`${HOSTILE}/128MB/chunkSizeMb=1`))} |`);
    expect(md).toContain(`| ${markdownTableCell(markdownText(HOSTILE_TIMING))} |`);
  });

  it('adds no markup, line or table column to report.md where the names sit in table cells', () => {
    const md = renderMarkdown(hostile);
    const tables = md.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      const rows = table.trimEnd().split('\n');
      const width = tableCells(rows[0]!).length;
      expect(rows.map((row) => tableCells(row).length)).toEqual(rows.map(() => width));
    }
    expect(md).toContain(`| ${markdownTableCell(markdownText(`4: ${HOSTILE_ERROR} ×4`))} |`);
  });

  it('adds no tag, row or script end to report.html', () => {
    const html = renderHtml(hostile);
    expect(html).not.toMatch(/<img|<script>alert|<b>|<i>/i);
    expect(htmlTags(html)).toEqual(htmlTags(renderHtml(ordinary)));
    expect(htmlTags(html).filter((tag) => tag.startsWith('<tr'))).toHaveLength(26);
    const outsideScripts = html.replace(/<script\b[^]*?<\/script>/gi, '');
    expect(linesWithSteering(outsideScripts)).toEqual([]);
    expect(html).toContain(`<td class="text">${htmlText(`${HOSTILE} (x86_64)`)}</td>`);
    // The chart data reads back whole, with the names in it, from a script element nothing in it could end.
    const charts = scriptText(html, 'charts');
    expect(charts).not.toMatch(/[<>&\u2028\u2029]/);
    const configs = JSON.parse(charts) as { costDuration: { options: { plugins: { title: { text: string } } } } };
    expect(configs.costDuration.options.plugins.title.text).toContain(visible(HOSTILE));
  });

  it('draws chart.svg with the names as text: it parses, and holds no element the ordinary chart does not', async () => {
    for (const chart of [costDurationChart, memoryChart]) {
      const svg = renderChart(chart(hostile), 'svg').toString();
      const image = await loadImage(Buffer.from(svg));
      expect(image.width).toBeGreaterThan(0);
      expect(svg).not.toMatch(/<img|<script|<b>/i);
      expect(linesWithSteering(svg)).toEqual([]);
      // The name is there as text: markup escaped by the canvas, controls shown as escapes.
      expect(svg).toContain('f`|&lt;img src=x onerror=alert(1)&gt;*_[x](javascript:alert(1))\\u001b[31m\\u000a# H\\u202e');
      const elements = svgElements(renderChart(chart(ordinary), 'svg').toString());
      expect([...svgElements(svg)].filter((name) => !elements.has(name))).toEqual([]);
    }
  });

  it('writes samples.csv that tune analyze reads back to the same names and error types', () => {
    const back = parseMeasurements(renderSamplesCsv(hostile), 'unused');
    expect(back.map((s) => [s.function, s.errorType])).toEqual(hostile.samples.map((s) => [s.function, s.errorType]));
  });

  it('keeps names a spreadsheet might run, or with spaces at their ends, exact in samples.csv', () => {
    for (const fn of ['=cmd|"/c calc"!A1', '+1', ' padded ', '\ttab', '"quoted"']) {
      const csv = renderSamplesCsv(resultWith({ ...ORDINARY, fn }));
      expect(new Set(parseMeasurements(csv, 'unused').map((s) => s.function))).toEqual(new Set([fn, `${fn}-arm`]));
    }
  });

  it('prints to the terminal no escape sequence, bidi control or extra line', () => {
    const text = renderTerminal(hostile);
    expect(linesWithSteering(text)).toEqual([]);
    expect(text.split('\n')).toHaveLength(renderTerminal(ordinary).split('\n').length);
    expect(text).toContain(`★ Sweet spot: ${visible(`${HOSTILE}-arm`)} at`);
    expect(text).toContain(visible(HOSTILE_TIMING));
  });
});
