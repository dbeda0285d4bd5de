import { Transform, type TransformCallback } from 'node:stream';
import { incompleteBody } from './errors.js';

/** Longest chunk-size or trailer line accepted; a signed chunk header is about 90 bytes. */
const MAX_LINE_BYTES = 8 * 1024;
const MAX_TRAILER_LINES = 16;

type State = 'size' | 'data' | 'data-end' | 'trailers' | 'done';

/**
 * Decodes the `aws-chunked` content encoding the SDKs use for streamed uploads
 * (STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
 * `hex-size[;chunk-signature=…]\r\n data \r\n` … `0[;…]\r\n`, then trailer lines
 * (`x-amz-checksum-crc32:…`) and an empty line. Signatures are read past, not checked.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailer fields by lower-case name, complete once the stream has ended. */
  readonly trailers = new Map<string, string>();
  #state: State = 'size';
  #line = Buffer.alloc(0);
  #remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < chunk.length && this.#state !== 'done') offset = this.#consume(chunk, offset);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // The SDK ends a stream without a checksum right after the last `0\r\n`.
    const ended = this.#state === 'done' || (this.#state === 'trailers' && this.#line.length === 0);
    callback(ended ? null : incompleteBody());
  }

  #consume(chunk: Buffer, offset: number): number {
    if (this.#state !== 'data') return this.#readLine(chunk, offset);
    const take = Math.min(this.#remaining, chunk.length - offset);
    this.push(chunk.subarray(offset, offset + take));
    this.#remaining -= take;
    if (this.#remaining === 0) this.#state = 'data-end';
    return offset + take;
  }

  #readLine(chunk: Buffer, offset: number): number {
    const newline = chunk.indexOf(0x0a, offset);
    const end = newline === -1 ? chunk.length : newline;
    this.#line = Buffer.concat([this.#line, chunk.subarray(offset, end)]);
    if (this.#line.length > MAX_LINE_BYTES) throw incompleteBody();
    if (newline === -1) return chunk.length;
    const line = this.#line.toString('latin1').replace(/\r$/, '');
    this.#line = Buffer.alloc(0);
    this.#onLine(line);
    return newline + 1;
  }

  #onLine(line: string): void {
    if (this.#state === 'size') this.#onSizeLine(line);
    else if (this.#state === 'data-end') {
      if (line !== '') throw incompleteBody();
      this.#state = 'size';
    } else if (line === '') this.#state = 'done';
    else this.#onTrailer(line);
  }

  #onSizeLine(line: string): void {
    const size = /^([0-9a-fA-F]{1,12})(;.*)?$/.exec(line)?.[1];
    if (size === undefined) throw incompleteBody();
    this.#remaining = parseInt(size, 16);
    this.#state = this.#remaining === 0 ? 'trailers' : 'data';
  }

  #onTrailer(line: string): void {
    const colon = line.indexOf(':');
    if (colon <= 0 || this.trailers.size >= MAX_TRAILER_LINES) throw incompleteBody();
    this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}
