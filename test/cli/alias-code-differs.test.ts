import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsEnv, type Finished, spawnTune } from '../helpers/cli.js';
import { stubEndpoint } from '../helpers/stub-endpoint.js';

/**
 * Stands where AWS would, for a function whose alias `live` serves version 7 while $LATEST holds
 * newer code (the local platform cannot change a function's code). It answers reads only and
 * notes every request, so a test can tell that nothing was asked to change.
 */

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

function configuration(version: string, codeSha256: string) {
  return {
    FunctionName: 'orders',
    FunctionArn: version === '$LATEST' ? ARN : `${ARN}:${version}`,
    Runtime: 'nodejs20.x',
    MemorySize: 512,
    Timeout: 3,
    CodeSha256: codeSha256,
    Version: version,
    Architectures: ['x86_64'],
    State: 'Active',
    LastUpdateStatus: 'Successful',
    Environment: { Variables: { TABLE: 'orders' } },
  };
}

function answer(method: string, url: URL): { status: number; body: unknown } {
  if (method === 'GET' && url.pathname === '/2015-03-31/functions/orders/configuration') {
    const qualifier = url.searchParams.get('Qualifier');
    if (qualifier === null) return { status: 200, body: configuration('$LATEST', 'NEWCODE0000000000000000000000000000000000000=') };
    if (qualifier === 'live' || qualifier === '7') return { status: 200, body: configuration('7', 'LIVECODE000000000000000000000000000000000000=') };
  }
  if (method === 'GET' && url.pathname === '/2015-03-31/functions/orders/versions') return { status: 200, body: { Versions: [] } };
  if (method === 'GET' && url.pathname === '/2015-03-31/functions/orders/aliases/live') {
    return { status: 200, body: { AliasArn: `${ARN}:live`, Name: 'live', FunctionVersion: '7', RevisionId: 'r1' } };
  }
  return { status: 500, body: { message: 'not served here' } };
}

const stub = stubEndpoint(answer);

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-alias-code-'));

function tune(args: string[]): Promise<Finished> {
  return spawnTune(args, awsEnv(stub.url, { AWS_MAX_ATTEMPTS: '1' }), dir).done;
}

describe('--function NAME:ALIAS when $LATEST holds other code', () => {
  it.each([
    ['a run', ['--function', 'orders:live', '--memory', '128,256', '--cold', '2']],
    ['a dry run', ['--function', 'orders:live', '--memory', '128,256', '--dry-run']],
    ['a version number', ['--function', 'orders:7', '--memory', '128']],
  ])('refuses %s with exit 2, having asked only to read', async (_, args) => {
    stub.requests.length = 0;
    const run = await tune(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/\$LATEST of orders holds other code than (live \(version 7\)|7) \(CodeSha256 NEWCODE0+= against LIVECODE0+=\)/);
    expect(run.stderr).toMatch(/Nothing was changed\.\nDeploy the code of (live|7) to \$LATEST, or tune the function unqualified \(--function orders\)\./);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(stub.requests.length).toBeGreaterThan(0);
    expect(stub.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
  });
});
