import type http from 'node:http';

/** A request body read whole, or refused at the limit: what was read is dropped, the rest is never read. */
export type BoundedBody = { kind: 'body'; body: Buffer } | { kind: 'too-large'; declaredBytes: number | undefined };

/**
 * Reads a request body of at most `limitBytes`. A Content-Length over the limit is refused before
 * a byte is read; a body that grows past it while streaming, at that moment. Either way the caller
 * answers and closes the connection (`closeAfterAnswer`). Rejects if the connection fails.
 */
export function readBoundedBody(req: http.IncomingMessage, limitBytes: number): Promise<BoundedBody> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > limitBytes) return Promise.resolve({ kind: 'too-large', declaredBytes: declared });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).pause();
      chunks.length = 0;
      resolve({ kind: 'too-large', declaredBytes: undefined });
    };
    req.on('data', onData);
    req.on('end', () => {
      resolve({ kind: 'body', body: Buffer.concat(chunks) });
    });
    req.on('error', reject);
  });
}

/** Closes the connection once the answer is out, so whatever the client still sends is never read. */
export function closeAfterAnswer(res: http.ServerResponse): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => {
    res.socket?.destroy();
  });
}
