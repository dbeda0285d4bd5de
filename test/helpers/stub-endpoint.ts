import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** What a stub answers a request with: a status and a JSON body (a 500 is sent as AWS's ServiceException). */
export type StubAnswer = (method: string, url: URL) => { status: number; body: unknown };

export interface StubEndpoint {
  /** Where it listens, once the suite's beforeAll has run. */
  readonly url: string;
  /** Every request, as `METHOD /path?query`, in the order they came. */
  readonly requests: string[];
}

/**
 * An HTTP endpoint standing where AWS would, for the suite that calls this: it answers as `answer`
 * says and notes every request, so a test can tell what the CLI asked (and that it asked no change).
 */
export function stubEndpoint(answer: StubAnswer): StubEndpoint {
  let server: Server | undefined;
  const stub = { url: '', requests: [] as string[] };
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      stub.requests.push(`${request.method ?? ''} ${url.pathname}${url.search}`);
      request.resume();
      const { status, body } = answer(request.method ?? '', url);
      response.writeHead(status, { 'content-type': 'application/json', ...(status === 500 ? { 'x-amzn-ErrorType': 'ServiceException' } : {}) });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        if (server === undefined) resolve();
        else
          server.close(() => {
            resolve();
          });
      }),
  );
  return stub;
}
