import http from 'node:http';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsHost, isLoopback } from '../../src/local/host-check.js';
import { RuntimeApi } from '../../src/local/runtime-api.js';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
let port: number;
beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('noop')] });
  port = Number(new URL(t.platform.endpoints.lambda).port);
});
afterAll(() => t.stop());

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so its Host and Origin headers are ours to choose. */
function get(url: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
  });
}

describe('acceptsHost', () => {
  it.each([
    ['127.0.0.1:9001', '127.0.0.1', true],
    ['localhost:9001', '127.0.0.1', true],
    ['LOCALHOST.:9001', '127.0.0.1', true],
    ['[::1]:9001', '127.0.0.1', true],
    ['127.0.0.1:9002', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', false],
    ['rebound.example:9001', '127.0.0.1', false],
    ['127.0.0.1.nip.io:9001', '127.0.0.1', false],
    ['192.168.1.20:9001', '127.0.0.1', false],
    ['192.168.1.20:9001', '0.0.0.0', true],
    ['rebound.example:9001', '0.0.0.0', false],
    ['[fe80::1]:9001', '::', true],
    ['myhost.lan:9001', 'myhost.lan', true],
  ])('Host %s for a server bound to %s: %s', (host, bound, accepted) => {
    expect(acceptsHost(host, bound, 9001)).toBe(accepted);
  });

  it('refuses a request without a Host header', () => {
    expect(acceptsHost(undefined, '127.0.0.1', 9001)).toBe(false);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.3.2.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
  ])('takes %s as loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});

describe('the platform', () => {
  it('refuses a request through another name (DNS rebinding) with 421 and says why', async () => {
    const reply = await get(`${t.platform.endpoints.lambda}/2015-03-31/functions/noop/configuration`, { Host: `rebound.example:${port}` });
    expect(reply.status).toBe(421);
    expect(reply.headers['x-amzn-errortype']).toBe('MisdirectedRequestException');
    expect(reply.headers.connection).toBe('close');
    expect((JSON.parse(reply.body) as { message: string }).message).toContain('does not name this server');
  });

  it('refuses a request from a web page (an Origin header) with 403', async () => {
    const reply = await get(`${t.platform.endpoints.lambda}/2015-03-31/functions/noop/configuration`, { Origin: 'https://somewhere.example' });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('Requests from web pages');
  });

  it('serves SDK clients pointed at it by any loopback name', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const client = new LambdaClient({ endpoint: `http://${name}:${port}`, region: 'us-east-1', credentials: t.platform.credentials });
      try {
        expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'noop' }))).FunctionName).toBe('noop');
      } finally {
        client.destroy();
      }
    }
  });
});

describe("an environment's Runtime API", () => {
  it('answers only requests that name it', async () => {
    const api = new RuntimeApi({ next: () => undefined, initError: () => undefined, result: () => false });
    const address = await api.listen();
    try {
      const url = `http://${address}/2018-06-01/runtime/invocation/unknown`;
      expect((await get(url, { Host: `rebound.example:${address.split(':')[1]}` })).status).toBe(421);
      expect((await get(url, {})).status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
