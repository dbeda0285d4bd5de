/**
 * Small readers of the markup the reports are written in, enough to tell whether a value added
 * any: Markdown read for backslash escapes, code spans and GFM table cells as CommonMark and GFM
 * read them; HTML read for its tags; SVG for its elements.
 */

/** Characters that must never reach a report: controls other than the line breaks between lines, and bidi controls. */
export const STEERING = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Lines holding a steering character (a raw newline inside a value shows as an extra line, checked by counting). */
export function linesWithSteering(text: string): string[] {
  return text.split('\n').filter((line) => STEERING.test(line));
}

/** Markdown inline text as read: what is left unescaped outside code spans, and each code span's content. */
export interface Inline {
  bare: string;
  code: string[];
}

/** Reads backslash escapes (CommonMark 2.4) and code spans (6.1); everything else stays as text. */
export function readInline(text: string): Inline {
  let bare = '';
  const code: string[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text.charAt(at);
    if (c === '\\' && /[!-/:-@[-`{-~]/.test(text.charAt(at + 1))) {
      at += 2;
    } else if (c === '`') {
      const run = /^`+/.exec(text.slice(at))?.[0] ?? '`';
      const close = closingRun(text, at + run.length, run.length);
      if (close === -1) bare += run;
      else code.push(spanContent(text.slice(at + run.length, close)));
      at = close === -1 ? at + run.length : close + run.length;
    } else {
      bare += c;
      at++;
    }
  }
  return { bare, code };
}

function closingRun(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

function spanContent(raw: string): string {
  return raw.startsWith(' ') && raw.endsWith(' ') && /[^ ]/.test(raw) ? raw.slice(1, -1) : raw;
}

/** A GFM table row's cells: split at pipes no backslash escapes, then each escaped pipe unescaped (GFM 4.10). */
export function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.replaceAll('\\|', '|').trim());
}

/** What a line of Markdown is made of: its table cells (one for a line outside a table), each read inline. */
function readLine(line: string): Inline[] {
  return line.startsWith('|') ? tableCells(line).map(readInline) : [readInline(line)];
}

/**
 * The markup of a Markdown document, per line: how many table cells it has, what block it starts
 * (a heading, quote, list item), and the characters left unescaped outside code that can open
 * inline markup, cell by cell.
 */
export function markdownSkeleton(markdown: string): string[] {
  return markdown.split('\n').map((line) => {
    const cells = readLine(line);
    const block = /^ {0,3}(#{1,6}(?= |$)|[>+=*-]|\d{1,9}[.)])/.exec(cells[0]?.bare ?? '')?.[1] ?? '';
    return `${cells.length} ${block} ${cells.map((cell) => cell.bare.replace(/[^*_[\]<>&`!~\\]/g, '')).join(' ')}`;
  });
}

/** Every code span's content in a Markdown document, table cells unescaped first. */
export function codeSpans(markdown: string): string[] {
  return markdown.split('\n').flatMap((line) => readLine(line).flatMap((cell) => cell.code));
}

/** The tags of an HTML document outside its script elements (whose text a browser does not read as tags), attributes included. */
export function htmlTags(html: string): string[] {
  const outsideScripts = html.replace(/(<script\b[^>]*>)[^]*?<\/script/gi, '$1</script');
  return [...outsideScripts.matchAll(/<\/?[a-zA-Z][^>]*>/g)].map((m) => m[0]);
}

/** The text of the first script element with this id, up to where a browser ends it: the first "</script". */
export function scriptText(html: string, id: string): string {
  const open = html.indexOf(`<script id="${id}"`);
  const start = html.indexOf('>', open) + 1;
  return html.slice(start, html.toLowerCase().indexOf('</script', start));
}

/** The names of the elements in an SVG document. */
export function svgElements(svg: string): Set<string> {
  return new Set([...svg.matchAll(/<([a-zA-Z][\w:-]*)/g)].map((m) => m[1] ?? ''));
}
