import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsEnv, type Finished, spawnTune } from '../helpers/cli.js';
import { stubEndpoint } from '../helpers/stub-endpoint.js';

/**
 * Stands where AWS would, for functions whose alias `live` serves version 7 with the code $LATEST
 * holds: `orders` configured otherwise there (handler, a variable, a layer), `split` alike but
 * with a routing configuration. It answers reads only and notes every request.
 */

const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const CODE = 'SAMECODE000000000000000000000000000000000000=';

function configuration(name: string, version: string, overrides: Record<string, unknown> = {}) {
  return {
    FunctionName: name,
    FunctionArn: version === '$LATEST' ? arn(name) : `${arn(name)}:${version}`,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    MemorySize: version === '$LATEST' ? 512 : 1024,
    Timeout: 3,
    CodeSha256: CODE,
    Version: version,
    Architectures: ['x86_64'],
    State: 'Active',
    LastUpdateStatus: 'Successful',
    Environment: { Variables: { TABLE: 'orders', SECRET_TOKEN: 'live-token-value' } },
    ...overrides,
  };
}

const LATEST_OF_ORDERS = {
  Handler: 'index.next',
  Environment: { Variables: { TABLE: 'orders', SECRET_TOKEN: 'staging-token-value' } },
  Layers: [{ Arn: 'arn:aws:lambda:us-east-1:123456789012:layer:deps:4', CodeSize: 10 }],
};

function answer(method: string, url: URL): { status: number; body: unknown } {
  const match = /^\/2015-03-31\/functions\/(orders|split)\/(configuration|versions|aliases\/live)$/.exec(url.pathname);
  if (method !== 'GET' || match === null) return { status: 500, body: { message: 'not served here' } };
  const [, name = '', what] = match;
  if (what === 'versions') return { status: 200, body: { Versions: [] } };
  if (what === 'aliases/live') {
    const routing = name === 'split' ? { RoutingConfig: { AdditionalVersionWeights: { '8': 0.1 } } } : {};
    return { status: 200, body: { AliasArn: `${arn(name)}:live`, Name: 'live', FunctionVersion: '7', RevisionId: 'r1', ...routing } };
  }
  const qualifier = url.searchParams.get('Qualifier');
  if (qualifier === null) return { status: 200, body: configuration(name, '$LATEST', name === 'orders' ? LATEST_OF_ORDERS : {}) };
  return { status: 200, body: configuration(name, '7') };
}

const stub = stubEndpoint(answer);

const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-alias-config-'));

function tune(args: string[]): Promise<Finished> {
  return spawnTune(args, awsEnv(stub.url, { AWS_MAX_ATTEMPTS: '1' }), dir).done;
}

describe('--function NAME:ALIAS', () => {
  it('refuses an alias whose version is configured unlike $LATEST, listing what differs (variables by name only), having asked only to read', async () => {
    stub.requests.length = 0;
    const run = await tune(['--function', 'orders:live', '--memory', '128,256']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('$LATEST of orders is configured unlike live (version 7):');
    expect(run.stderr).toContain('Handler: "index.handler" there, "index.next" on $LATEST');
    expect(run.stderr).toContain('Layers: [] there, ["arn:aws:lambda:us-east-1:123456789012:layer:deps:4"] on $LATEST');
    expect(run.stderr).toContain('Environment: the variables SECRET_TOKEN differ (values not shown)');
    expect(run.stderr).not.toContain('token-value');
    expect(run.stderr).not.toContain('MemorySize');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(stub.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
  });

  it('refuses an alias with a routing configuration: it serves two versions', async () => {
    stub.requests.length = 0;
    const run = await tune(['--function', 'split:live', '--memory', '128']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('The alias live of split sends part of its traffic to version 8 too');
    expect(stub.requests).toContain('GET /2015-03-31/functions/split/aliases/live');
    expect(stub.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
  });
});
