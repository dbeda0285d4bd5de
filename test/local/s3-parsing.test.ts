import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from '../../src/local/s3/chunked.js';
import { listPage } from '../../src/local/s3/listing.js';
import { resolveRange } from '../../src/local/s3/range.js';
import { parseTarget } from '../../src/local/s3/target.js';
import { parseDeleteRequest } from '../../src/local/s3/bucket-handlers.js';
import { parseCompleteRequest } from '../../src/local/s3/multipart-handlers.js';
import { escapeXml } from '../../src/local/s3/xml.js';
import { parseXml } from '../../src/local/s3/xml-parse.js';

describe('the request XML reader', () => {
  it('reads a DeleteObjects document as the SDK writes it', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a &amp; b</Key></Object>' +
      '<Object><Key> spaced &lt;key&gt; &#x1F600; &#65;</Key><VersionId>v</VersionId></Object><!-- note --><Quiet>true</Quiet></Delete>';
    expect(parseDeleteRequest(xml)).toEqual({ quiet: true, keys: ['a & b', ' spaced <key> 😀 A'] });
  });

  it('reads a CompleteMultipartUpload document, CDATA and self-closing tags included', () => {
    const xml = `<CompleteMultipartUpload><Part><ETag>"abc"</ETag><PartNumber>1</PartNumber><ChecksumCRC32/></Part>
      <Part><PartNumber><![CDATA[2]]></PartNumber><ETag>&quot;def&quot;</ETag></Part></CompleteMultipartUpload>`;
    expect(parseCompleteRequest(xml)).toEqual([
      { partNumber: 1, etag: '"abc"' },
      { partNumber: 2, etag: '"def"' },
    ]);
  });

  it.each([
    ['a DOCTYPE, and so any entity definition', '<!DOCTYPE d [<!ENTITY x "xxxxxxxx">]><Delete><Object><Key>&x;</Key></Object></Delete>'],
    ['an undefined entity', '<Delete><Object><Key>&x;</Key></Object></Delete>'],
    ['an unterminated reference', '<Delete><Object><Key>a &amp b</Key></Object></Delete>'],
    ['a NUL character reference', '<Delete><Object><Key>&#0;</Key></Object></Delete>'],
    ['mismatched tags', '<Delete><Object><Key>a</Object></Key></Delete>'],
    ['an unclosed element', '<Delete><Object><Key>a</Key></Object>'],
    ['two roots', '<Delete></Delete><Delete></Delete>'],
    ['text outside the root', '<Delete></Delete>trailing'],
    ['deep nesting', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`],
    ['no document at all', ''],
  ])('refuses %s as MalformedXML', (_what, xml) => {
    expect(() => parseXml(xml)).toThrow(expect.objectContaining({ code: 'MalformedXML', statusCode: 400 }));
  });

  it('escapes what it writes', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;&#1;');
  });
});

async function decode(parts: (string | Buffer)[]): Promise<{ body: string; trailers: Map<string, string> }> {
  const decoder = new AwsChunkedDecoder();
  const body = await text(Readable.from(parts.map((part) => Buffer.from(part))).pipe(decoder));
  return { body, trailers: new Map(decoder.trailers) };
}

describe('the aws-chunked decoder', () => {
  const unsigned = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';
  const signed =
    `5;chunk-signature=${'a'.repeat(64)}\r\nhello\r\n6;chunk-signature=${'b'.repeat(64)}\r\n world\r\n` + `0;chunk-signature=${'c'.repeat(64)}\r\n\r\n`;

  it('decodes unsigned chunks with a checksum trailer', async () => {
    expect(await decode([unsigned])).toEqual({ body: 'hello world', trailers: new Map([['x-amz-checksum-crc32', 'DUoRhQ==']]) });
  });

  it('decodes signed chunks, reading past their signatures', async () => {
    expect((await decode([signed])).body).toBe('hello world');
  });

  it('decodes whatever way the bytes are split', async () => {
    expect(await decode([...Buffer.from(unsigned)].map((byte) => Buffer.of(byte)))).toEqual(await decode([unsigned]));
    expect((await decode([signed.slice(0, 7), signed.slice(7, 80), signed.slice(80)])).body).toBe('hello world');
  });

  it('accepts the end right after the last chunk, as the SDK sends a stream without a checksum', async () => {
    expect((await decode(['3\r\nabc\r\n0\r\n'])).body).toBe('abc');
  });

  it.each([
    ['a cut-off body', '5\r\nhel'],
    ['a missing end chunk', '5\r\nhello\r\n'],
    ['a bad size line', 'zz\r\nhello\r\n0\r\n\r\n'],
    ['data longer than its chunk', '2\r\nhello\r\n0\r\n\r\n'],
    ['an endless size line', 'f'.repeat(10_000)],
  ])('refuses %s', async (_what, body) => {
    await expect(decode([body])).rejects.toMatchObject({ code: 'IncompleteBody' });
  });
});

describe('ranges', () => {
  it.each([
    ['bytes=0-9', 100, { kind: 'part', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'part', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'part', start: 90, end: 99 }],
    ['bytes=-500', 100, { kind: 'part', start: 0, end: 99 }],
    ['bytes=50-500', 100, { kind: 'part', start: 50, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=100-200', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=9-1', 100, { kind: 'whole' }],
    ['bytes=0-1,5-6', 100, { kind: 'whole' }],
    ['items=0-1', 100, { kind: 'whole' }],
    [undefined, 100, { kind: 'whole' }],
  ])('%s of %s bytes', (header, size, expected) => {
    expect(resolveRange(header, size)).toEqual(expected);
  });
});

describe('listing pages', () => {
  const objects = ['a/1', 'a/2', 'a+b', 'b', 'é', '\u{1F600}', '\uFFFD'].map((key) => ({ key }));
  const query = { prefix: '', delimiter: '', maxKeys: 1000, startAfter: '', resumeAfter: '' };

  it('lists in UTF-8 byte order, which puts U+FFFD before an emoji', () => {
    const sorted = [...objects].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    expect(listPage(sorted, query).contents.map((o) => o.key)).toEqual(['a+b', 'a/1', 'a/2', 'b', 'é', '\uFFFD', '\u{1F600}']);
  });

  it('counts common prefixes towards max-keys and resumes after one without repeating it', () => {
    const sorted = [{ key: 'a+b' }, { key: 'a/1' }, { key: 'a/2' }, { key: 'b' }];
    const first = listPage(sorted, { ...query, delimiter: '/', maxKeys: 2 });
    expect(first).toEqual({ contents: [{ key: 'a+b' }], commonPrefixes: ['a/'], isTruncated: true, lastEntry: 'a/' });
    const second = listPage(sorted, { ...query, delimiter: '/', maxKeys: 2, resumeAfter: 'a/' });
    expect(second).toEqual({ contents: [{ key: 'b' }], commonPrefixes: [], isTruncated: false, lastEntry: 'b' });
  });
});

describe('request targets', () => {
  const hosts = ['127.0.0.1', 'localhost'];

  it('reads path-style requests without resolving dot segments', () => {
    const target = parseTarget('/bucket/../../etc/passwd?x-id=GetObject', '127.0.0.1:9000', hosts);
    expect({ bucket: target.bucket, key: target.key, id: target.query.get('x-id') }).toEqual({ bucket: 'bucket', key: '../../etc/passwd', id: 'GetObject' });
    expect(parseTarget('/bucket/a%20b%2Bc+d%2F', undefined, hosts)).toMatchObject({ bucket: 'bucket', key: 'a b+c+d/' });
    expect(parseTarget('/bucket', undefined, hosts)).toMatchObject({ bucket: 'bucket', key: '' });
    expect(parseTarget('/', undefined, hosts)).toMatchObject({ bucket: '', key: '' });
  });

  it('reads virtual-host-style requests from the Host header', () => {
    expect(parseTarget('/dir/key', 'my.bucket.localhost:4566', hosts)).toMatchObject({ bucket: 'my.bucket', key: 'dir/key' });
    expect(parseTarget('/?list-type=2', 'bucket.localhost', hosts)).toMatchObject({ bucket: 'bucket', key: '' });
  });

  it('refuses a path that does not decode', () => {
    expect(() => parseTarget('/bucket/%E0%A4%A', undefined, hosts)).toThrow(expect.objectContaining({ code: 'InvalidURI' }));
  });
});
