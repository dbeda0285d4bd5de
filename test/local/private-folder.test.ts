import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateFolder, userTempFolder } from '../../src/local/private-folder.js';
import { startS3 } from '../../src/local/s3.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'lambda-tune-private-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the platform folder in the shared temporary folder', () => {
  it("is the user's own: named after the uid, made with mode 0700", () => {
    const folder = userTempFolder(scratch);
    expect(path.basename(folder)).toBe(`lambda-tune-${String(process.getuid?.())}`);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(userTempFolder(scratch)).toBe(folder);
  });

  it('is refused when someone made it writable by others', () => {
    const folder = path.join(scratch, 'open');
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    expect(() => privateFolder(folder)).toThrow(/may be written by other users \(mode 777\).*Remove it/);
  });

  it('is refused when it is a symbolic link, or not a folder', () => {
    const link = path.join(scratch, 'link');
    symlinkSync(scratch, link);
    expect(() => privateFolder(link)).toThrow(/is not a folder/);
    const file = path.join(scratch, 'file');
    writeFileSync(file, '');
    expect(() => privateFolder(file)).toThrow(/is not a folder/);
  });
});

describe('links planted in the S3 folder', () => {
  it('are never followed: an object whose data or metadata is a link is not there', async () => {
    const root = path.join(scratch, 's3');
    const objects = path.join(root, 'planted', 'objects');
    mkdirSync(objects, { recursive: true });
    const digest = (key: string) => createHash('sha256').update(key).digest('hex');
    const secret = path.join(scratch, 'secret.txt');
    writeFileSync(secret, 'not for S3');
    const data = `${digest('data-link')}.0123456789abcdef.bin`;
    symlinkSync(secret, path.join(objects, data));
    const meta = { key: 'data-link', size: 10, etag: 'x', lastModified: new Date().toISOString(), file: data };
    writeFileSync(path.join(objects, `${digest('data-link')}.json`), JSON.stringify(meta));
    const regular = `${digest('meta-link')}.fedcba9876543210.bin`;
    writeFileSync(path.join(objects, regular), 'via a link');
    writeFileSync(path.join(scratch, 'meta.json'), JSON.stringify({ ...meta, key: 'meta-link', file: regular }));
    symlinkSync(path.join(scratch, 'meta.json'), path.join(objects, `${digest('meta-link')}.json`));
    const s3 = await startS3({ host: '127.0.0.1', directory: root, region: 'us-east-1', buckets: [] });
    try {
      for (const key of ['data-link', 'meta-link']) {
        const reply = await fetch(`${s3.endpoint}/planted/${key}`);
        expect([reply.status, await reply.text()]).toEqual([404, expect.stringContaining('<Code>NoSuchKey</Code>')]);
      }
    } finally {
      await s3.stop();
    }
  });
});
