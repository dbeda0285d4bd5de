/**
 * Every string a user can control (a function name, a cell id, an error type, a timing name, a
 * rule, a region, anything read from a result.json) is made safe for the medium it is shown in
 * here, and nowhere else. Text made by lambda-tune itself passes through unchanged.
 */

/**
 * Characters that steer how text is shown rather than being shown: C0 controls (line breaks and
 * ESC among them), DEL, C1 controls, the line and paragraph separators, and the bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees.
 */
const STEERING = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** The text with every steering character written as a visible escape: ESC as `\u001b`, a newline as `\u000a`. */
export function visible(text: string): string {
  return text.replace(STEERING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** For the terminal: no escape sequence, line break or reordering reaches it, so no colour, cursor move or fake line. */
export function terminalText(text: string): string {
  return visible(text);
}

/** Characters that open a Markdown or HTML construct anywhere in a line: escaped with a backslash wherever they are. */
const MARKDOWN_INLINE = /[\\`*[\]<>&~]/g;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
/** What opens a block at the start of a line: a heading, a list item, a setext underline. */
const BLOCK_START = /^(?:[#+=-]|\d{1,9}(?=[.)](?:[ \t]|$)))/;

/**
 * Plain text as Markdown that shows as that text (CommonMark backslash escapes): no emphasis,
 * link, image, code, HTML, entity or strikethrough can start in it, nor a heading or list where it
 * begins a line. Pipes are the table's business (markdownTableCell).
 */
export function markdownText(text: string): string {
  const inline = visible(text)
    .replace(MARKDOWN_INLINE, (c) => `\\${c}`)
    .replace(/_+/g, underscores);
  return inline.replace(BLOCK_START, (start) => (/^\d/.test(start) ? `${start}\\` : `\\${start}`));
}

/** A run of underscores between two letters or digits cannot open or close emphasis (CommonMark 6.2), so x86_64 stays as it is; any other is escaped. */
function underscores(run: string, at: number, text: string): string {
  const within = WORD_CHARACTER.test(text.charAt(at - 1)) && WORD_CHARACTER.test(text.charAt(at + run.length));
  return within ? run : run.replaceAll('_', '\\_');
}

/**
 * Text as a Markdown code span, shown exactly as it is: the fence is one backtick longer than the
 * longest run inside, and padded with a space where the content starts or ends with a backtick or
 * starts and ends with a space, which CommonMark would otherwise join to the fence or strip (6.1).
 */
export function markdownCode(text: string): string {
  const content = visible(text);
  let longest = 0;
  for (const [run] of content.matchAll(/`+/g)) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const touchesFence = content.startsWith('`') || content.endsWith('`');
  const strippable = content.startsWith(' ') && content.endsWith(' ') && /[^ ]/.test(content);
  const padded = touchesFence || strippable;
  return padded ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

/**
 * Markdown (escaped text or a code span) as the content of a GitHub table cell: a pipe, even in a
 * code span, would end the cell, so each is escaped; GFM takes that backslash off again before
 * reading the cell, so the cell shows what the Markdown did.
 */
export function markdownTableCell(markdown: string): string {
  return markdown.replaceAll('|', '\\|');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For HTML text and attribute values (quoted): no tag, entity or attribute can start in it. */
export function htmlText(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const SCRIPT_JSON: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * A value as JSON inside an HTML <script> element: no "<" to end the element or open a comment,
 * no ">" or "&", and no U+2028/2029 (line breaks to older JavaScript). Each is a \u escape, which
 * JSON reads back as the same character; they can only occur inside strings, where escapes are allowed.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_JSON[c] ?? c);
}
