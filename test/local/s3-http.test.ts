import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startS3 } from '../../src/local/s3.js';

// What SDKs other than JavaScript's send (signed chunks, Content-MD5, signed payload hashes),
// and how errors look on the wire, checked with plain HTTP requests.

let directory: string;
let s3: LocalS3;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'lambda-tune-s3-http-'));
  s3 = await startS3({ host: '127.0.0.1', directory, region: 'eu-west-1', buckets: [{ name: 'raw', objects: [] }] });
});

afterAll(async () => {
  agent.destroy();
  await s3.stop();
  rmSync(directory, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${s3.endpoint}${target}`, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const crc32 = (text: string): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(text) >>> 0);
  return out.toString('base64');
};
const md5 = (text: string, encoding: 'hex' | 'base64' = 'hex'): string => createHash('md5').update(text).digest(encoding);
const signature = (c: string): string => `;chunk-signature=${c.repeat(64)}`;

describe('payload encodings', () => {
  it('stores a body sent as signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
    const body = `4${signature('1')}\r\nJava\r\n4${signature('2')}\r\n SDK\r\n0${signature('3')}\r\n\r\n`;
    const put = await send('PUT', '/raw/signed.txt', {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '8',
      'content-type': 'text/plain',
    }, body); // prettier-ignore
    expect([put.status, put.headers.etag]).toEqual([200, `"${md5('Java SDK')}"`]);
    const get = await send('GET', '/raw/signed.txt');
    expect([get.body, get.headers['content-type'], get.headers['content-encoding']]).toEqual(['Java SDK', 'text/plain', undefined]);
  });

  it('checks a trailing checksum, and keeps nothing when it does not match', async () => {
    const chunked = (checksum: string): string => `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`;
    const headers = {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const good = await send('PUT', '/raw/trailer.txt', headers, chunked(crc32('hello')));
    expect([good.status, good.headers['x-amz-checksum-crc32']]).toEqual([200, crc32('hello')]);
    const bad = await send('PUT', '/raw/trailer-bad.txt', headers, chunked(crc32('other')));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>BadDigest</Code>');
    expect((await send('HEAD', '/raw/trailer-bad.txt')).status).toBe(404);
    expect(readdirSync(path.join(directory, 'raw', 'incoming'))).toEqual([]);
  });

  it.each([
    ['Content-MD5', { 'content-md5': md5('something else', 'base64') }, 'BadDigest'],
    ['a malformed Content-MD5', { 'content-md5': 'not base64' }, 'InvalidDigest'],
    ['x-amz-checksum-sha256', { 'x-amz-checksum-sha256': createHash('sha256').update('other').digest('base64') }, 'BadDigest'],
    ['a signed payload hash', { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, 'XAmzContentSHA256Mismatch'],
    ['x-amz-decoded-content-length', { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '99' }, 'IncompleteBody'],
  ])('refuses a body that does not match its %s', async (_what, headers: Record<string, string>, code) => {
    const body = headers['content-encoding'] === 'aws-chunked' ? '7\r\npayload\r\n0\r\n\r\n' : 'payload';
    const answer = await send('PUT', '/raw/checked.txt', headers, body);
    expect([answer.status, answer.body]).toEqual([400, expect.stringContaining(`<Code>${code}</Code>`)]);
  });

  it('accepts a body whose digests all match', async () => {
    const headers = {
      'content-md5': md5('payload', 'base64'),
      'x-amz-checksum-sha256': createHash('sha256').update('payload').digest('base64'),
      'x-amz-content-sha256': createHash('sha256').update('payload').digest('hex'),
    };
    expect((await send('PUT', '/raw/checked.txt', headers, 'payload')).status).toBe(200);
  });
});

describe('errors on the wire', () => {
  it('sends NoSuchKey as S3 does', async () => {
    const answer = await send('GET', '/raw/missing%20key');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/xml');
    expect(answer.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>missing key<\/Key><Resource>\/raw\/missing%20key<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/,
    );
    expect(answer.body).toContain(`<RequestId>${String(answer.headers['x-amz-request-id'])}</RequestId>`);
  });

  it.each([
    ['POST', '/raw/key', 405, 'MethodNotAllowed'],
    ['PUT', '/', 405, 'MethodNotAllowed'],
    ['GET', '/raw/key?tagging', 501, 'NotImplemented'],
    ['PUT', '/Not_A_Bucket', 400, 'InvalidBucketName'],
    ['GET', '/nobucket/key', 404, 'NoSuchBucket'],
    ['GET', '/raw?list-type=2&max-keys=many', 400, 'InvalidArgument'],
    ['GET', '/raw?list-type=2&continuation-token=%25%25', 400, 'InvalidArgument'],
    ['DELETE', '/raw/key?uploadId=../../x', 404, 'NoSuchUpload'],
  ])('%s %s answers %s %s', async (method, target, status, code) => {
    const answer = await send(method, target);
    expect([answer.status, answer.body]).toEqual([status, expect.stringContaining(`<Code>${code}</Code>`)]);
  });

  it('answers a HEAD error with its status alone', async () => {
    const answer = await send('HEAD', '/raw/missing');
    expect([answer.status, answer.body]).toEqual([404, '']);
  });

  it('refuses an XML request body that is too big, or has a DOCTYPE', async () => {
    const big = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(80_000)}</Delete>`;
    expect((await send('POST', '/raw?delete', {}, big)).body).toContain('<Code>MaxMessageLengthExceeded</Code>');
    const entity = '<!DOCTYPE d [<!ENTITY e "k">]><Delete><Object><Key>&e;</Key></Object></Delete>';
    expect((await send('POST', '/raw?delete', {}, entity)).body).toContain('<Code>MalformedXML</Code>');
  });

  it('serves preconditions: 304 for a matching If-None-Match, 412 for a failed If-Match', async () => {
    const put = await send('PUT', '/raw/conditional', {}, 'x');
    const etag = String(put.headers.etag);
    expect((await send('GET', '/raw/conditional', { 'if-none-match': etag })).status).toBe(304);
    expect((await send('GET', '/raw/conditional', { 'if-match': etag })).status).toBe(200);
    const failed = await send('GET', '/raw/conditional', { 'if-match': '"other"' });
    expect([failed.status, failed.body]).toEqual([412, expect.stringContaining('<Code>PreconditionFailed</Code>')]);
  });

  it('tells its region for a bucket', async () => {
    expect((await send('HEAD', '/raw')).headers['x-amz-bucket-region']).toBe('eu-west-1');
    expect((await send('GET', '/raw?location')).body).toContain('>eu-west-1</LocationConstraint>');
  });
});

describe('who may call', () => {
  const port = (): number => Number(new URL(s3.endpoint).port);

  it('refuses a Host that does not name the server (DNS rebinding) with 421, and closes the connection', async () => {
    const answer = await send('GET', '/raw', { host: `rebound.example:${port()}` });
    expect([answer.status, answer.headers.connection]).toEqual([421, 'close']);
    expect(answer.body).toContain('does not name this server');
  });

  it('takes <bucket>.localhost but not a bucket under an IP address or another port', async () => {
    await send('PUT', '/raw/hosted.txt', {}, 'hosted');
    expect((await send('GET', '/hosted.txt', { host: `raw.localhost:${port()}` })).body).toBe('hosted');
    expect((await send('GET', '/hosted.txt', { host: `raw.127.0.0.1:${port()}` })).status).toBe(421);
    expect((await send('GET', '/raw/hosted.txt', { host: `localhost:${port() + 1}` })).status).toBe(421);
  });

  it('refuses a request from a web page (an Origin header) with 403 and does nothing', async () => {
    await send('PUT', '/raw/kept.txt', {}, 'kept');
    const body = '<Delete><Object><Key>kept.txt</Key></Object></Delete>';
    const answer = await send('POST', '/raw?delete', { origin: 'http://somewhere.example', 'content-type': 'text/plain' }, body);
    expect([answer.status, answer.body]).toEqual([403, expect.stringContaining('<Code>AccessDenied</Code>')]);
    expect((await send('GET', '/raw/kept.txt')).body).toBe('kept');
  });
});

describe('response-* overrides', () => {
  const openFiles = (): number => readdirSync('/proc/self/fd').length;

  it('refuses a value that cannot be a header with InvalidArgument, before it opens the object', async () => {
    await send('PUT', '/raw/override.txt', {}, 'override');
    const before = openFiles();
    for (let i = 0; i < 20; i++) {
      const answer = await send('GET', '/raw/override.txt?response-content-type=%0d%0aX-Injected:%20yes');
      expect([answer.status, answer.headers['x-injected']]).toEqual([400, undefined]);
      expect(answer.body).toContain('<Code>InvalidArgument</Code><Message>Header value cannot contain control characters.</Message>');
    }
    expect(openFiles()).toBeLessThanOrEqual(before);
  });

  it('sends ISO-8859-1 values as they are and refuses others as S3 does; RFC 8187 encoding is the way', async () => {
    const latin = await send('GET', `/raw/override.txt?response-content-disposition=${encodeURIComponent('attachment; filename="café.txt"')}`);
    expect([latin.status, latin.headers['content-disposition']]).toEqual([200, 'attachment; filename="café.txt"']);
    const euro = await send('GET', `/raw/override.txt?response-content-disposition=${encodeURIComponent('attachment; filename="€.txt"')}`);
    expect([euro.status, euro.body]).toEqual([400, expect.stringContaining('<Message>Header value cannot be represented using ISO-8859-1.</Message>')]);
    expect(euro.body).toContain('<ArgumentName>response-content-disposition</ArgumentName>');
    const encoded = `attachment; filename*=UTF-8''${encodeURIComponent('€.txt')}`;
    const ok = await send('GET', `/raw/override.txt?response-content-disposition=${encodeURIComponent(encoded)}`);
    expect([ok.status, ok.headers['content-disposition'], ok.body]).toEqual([200, encoded, 'override']);
  });
});
