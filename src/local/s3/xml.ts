/** The few XML documents S3 answers with, built from `[name, value]` pairs; `undefined` values are left out. */
export type XmlValue = string | number | boolean | undefined | XmlNode[];
export type XmlNode = readonly [name: string, value: XmlValue];

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry as text (some keys hold them) go as character references.
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<?xml …?><Root xmlns="…">…</Root>`, the shape of every S3 XML response. */
export function xmlDocument(root: string, children: XmlNode[], namespace = true): string {
  const attribute = namespace ? ` xmlns="${S3_NAMESPACE}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attribute}>${children.map(element).join('')}</${root}>`;
}

export function element([name, value]: XmlNode): string {
  if (value === undefined) return '';
  const content = Array.isArray(value) ? value.map(element).join('') : escapeXml(String(value));
  return `<${name}>${content}</${name}>`;
}
