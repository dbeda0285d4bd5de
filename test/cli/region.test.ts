import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, spawnTune } from '../helpers/cli.js';

/**
 * Which region the CLI sends its requests to, read from the SigV4 credential scope of what reaches
 * a stand-in endpoint. The endpoint knows no function, so every run stops at the first request.
 */
let server: http.Server;
let endpoint: string;
const scopes: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? '')?.[1];
    if (scope !== undefined) scopes.push(scope);
    request.resume();
    response.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
    response.end(JSON.stringify({ Type: 'User', message: 'Function not found: arn:aws:lambda:xx:123456789012:function:missing' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The environment awsEnv makes, with AWS_REGION and AWS_DEFAULT_REGION as given (undefined: unset). */
function envWith(regions: { AWS_REGION?: string; AWS_DEFAULT_REGION?: string }): NodeJS.ProcessEnv {
  const env = awsEnv(endpoint);
  delete env['AWS_REGION'];
  return { ...env, ...regions };
}

async function tuneIn(env: NodeJS.ProcessEnv, extra: string[] = []) {
  const before = scopes.length;
  const result = await spawnTune(['--function', 'missing', '--memory', '128', ...extra], env).done;
  return { ...result, regions: [...new Set(scopes.slice(before))] };
}

describe('the region', () => {
  it('comes from AWS_DEFAULT_REGION when AWS_REGION is not set, as the AWS CLI reads it', async () => {
    const result = await tuneIn(envWith({ AWS_DEFAULT_REGION: 'eu-west-3' }));
    expect(result.status).toBe(3);
    expect(result.regions).toEqual(['eu-west-3']);
    expect(result.stderr).toContain('region eu-west-3');
  });

  it('comes from AWS_REGION before AWS_DEFAULT_REGION', async () => {
    const result = await tuneIn(envWith({ AWS_REGION: 'ap-southeast-2', AWS_DEFAULT_REGION: 'eu-west-3' }));
    expect(result.regions).toEqual(['ap-southeast-2']);
    expect(result.stderr).toContain('region ap-southeast-2');
  });

  it('comes from --region before either', async () => {
    const result = await tuneIn(envWith({ AWS_REGION: 'ap-southeast-2', AWS_DEFAULT_REGION: 'eu-west-3' }), ['--region', 'sa-east-1']);
    expect(result.regions).toEqual(['sa-east-1']);
  });

  it('is missing when none is set, and the run says so before any request', async () => {
    const result = await tuneIn(envWith({}));
    expect(result.status).toBe(2);
    expect(result.regions).toEqual([]);
    expect(result.stderr).toContain('No AWS region is set');
  });

  it('is checked in AWS_DEFAULT_REGION as --region is, naming the variable', async () => {
    const result = await tuneIn(envWith({ AWS_DEFAULT_REGION: 'Europe' }));
    expect(result.status).toBe(2);
    expect(result.regions).toEqual([]);
    expect(result.stderr).toContain('AWS_DEFAULT_REGION "Europe" is not an AWS region');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('is not asked for on the local platform, whatever AWS_DEFAULT_REGION holds', async () => {
    const result = await tuneIn(envWith({ AWS_DEFAULT_REGION: 'Europe' }), ['--local', '--dry-run']);
    expect(result.stderr).not.toContain('AWS_DEFAULT_REGION');
    expect(result.regions).toEqual([]);
  });
});
