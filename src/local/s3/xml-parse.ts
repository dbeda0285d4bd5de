import { malformedXml } from './errors.js';

/** An element of a small request document (CompleteMultipartUpload, Delete): its local name, children and text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const OPEN_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const CLOSE_TAG = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Parses the small documents S3 requests carry. Elements, text, CDATA, comments and processing
 * instructions only: a DOCTYPE (and so any entity definition) is refused, references are limited
 * to the five predefined entities and character references, and nesting is bounded.
 */
export function parseXml(source: string, maxDepth = 8): XmlElement {
  const reader = new XmlReader(source.replace(/^\uFEFF/, ''));
  reader.skipMisc();
  const first = reader.openTag();
  const stack = first.selfClosing ? [] : [first.element];
  while (stack.length > 0) {
    const current = stack[stack.length - 1];
    if (current === undefined || reader.atEnd()) throw malformedXml();
    const child = reader.content(current);
    if (child === 'closed') stack.pop();
    else if (child !== undefined) {
      current.children.push(child.element);
      if (!child.selfClosing) stack.push(child.element);
      if (stack.length > maxDepth) throw malformedXml();
    }
  }
  reader.skipMisc();
  if (!reader.atEnd()) throw malformedXml();
  return first.element;
}

/** The first child called `name`, or undefined. */
export function childOf(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

interface OpenedTag {
  element: XmlElement;
  selfClosing: boolean;
}

class XmlReader {
  #position = 0;

  constructor(private readonly source: string) {}

  atEnd(): boolean {
    return this.#position >= this.source.length;
  }

  /** Reads what comes next inside `parent`: a child tag, its own closing tag ('closed'), or text, CDATA and comments (undefined). */
  content(parent: XmlElement): OpenedTag | 'closed' | undefined {
    if (this.#at('</')) {
      this.#closeTag(parent);
      return 'closed';
    }
    if (this.#at('<![CDATA[')) parent.text += this.#through(']]>').slice('<![CDATA['.length, -']]>'.length);
    else if (this.#at('<!--') || this.#at('<?')) this.#skipSpecial();
    else if (this.#at('<!')) throw malformedXml();
    else if (this.#at('<')) return this.openTag();
    else parent.text += this.#text();
    return undefined;
  }

  openTag(): OpenedTag {
    const match = this.#match(OPEN_TAG);
    const name = localName(match[1] ?? '');
    return { element: { name, children: [], text: '' }, selfClosing: match[3] === '/' };
  }

  /** Whitespace, comments and processing instructions (the `<?xml …?>` declaration among them). */
  skipMisc(): void {
    for (;;) {
      const space = /\s*/y;
      space.lastIndex = this.#position;
      space.exec(this.source);
      this.#position = space.lastIndex;
      if (!this.#at('<!--') && !this.#at('<?')) return;
      this.#skipSpecial();
    }
  }

  #closeTag(parent: XmlElement): void {
    const match = this.#match(CLOSE_TAG);
    if (localName(match[1] ?? '') !== parent.name) throw malformedXml();
  }

  #skipSpecial(): void {
    const comment = this.#at('<!--');
    const text = this.#through(comment ? '-->' : '?>');
    if (comment && text.slice(4, -3).includes('--')) throw malformedXml();
  }

  #text(): string {
    const end = this.source.indexOf('<', this.#position);
    const raw = this.source.slice(this.#position, end === -1 ? this.source.length : end);
    this.#position += raw.length;
    return decodeReferences(raw);
  }

  #through(terminator: string): string {
    const end = this.source.indexOf(terminator, this.#position);
    if (end === -1) throw malformedXml();
    const text = this.source.slice(this.#position, end + terminator.length);
    this.#position = end + terminator.length;
    return text;
  }

  #match(pattern: RegExp): RegExpExecArray {
    pattern.lastIndex = this.#position;
    const match = pattern.exec(this.source);
    if (match === null) throw malformedXml();
    this.#position = pattern.lastIndex;
    return match;
  }

  #at(text: string): boolean {
    return this.source.startsWith(text, this.#position);
  }
}

function localName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf(':') + 1);
}

/** The predefined entities and character references; any other `&` makes the document malformed. */
export function decodeReferences(text: string): string {
  return text.replace(/&([^&;<]*)(;?)/g, (_whole, reference: string, semicolon: string) => {
    if (semicolon !== ';') throw malformedXml();
    const named = NAMED_ENTITIES[reference];
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(reference);
    if (numeric === null) throw malformedXml();
    const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) throw malformedXml();
    return String.fromCodePoint(codePoint);
  });
}
