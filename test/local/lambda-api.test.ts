import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform({
    functions: [fixture('noop', { name: 'api', memoryMb: 256, timeoutS: 5, environment: { KEEP: 'me' } }), fixture('noop', { name: 'versions' })],
  });
});
afterAll(() => t.stop());

const settle = (name: string) => waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: name });

describe('function configuration', () => {
  it('reads a function by name, partial ARN and full ARN', async () => {
    const byName = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    expect(byName).toMatchObject({
      FunctionName: 'api',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:api',
      MemorySize: 256,
      Timeout: 5,
      Handler: 'noop.handler',
      Runtime: 'nodejs20.x',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Version: '$LATEST',
      Architectures: ['x86_64'],
      Environment: { Variables: { KEEP: 'me' } },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/api' },
    });
    expect(byName.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const partial = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: '123456789012:function:api' }));
    const full = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:api' }));
    expect(partial.RevisionId).toBe(byName.RevisionId);
    expect(full.Configuration?.RevisionId).toBe(byName.RevisionId);
    expect(full.Code?.RepositoryType).toBe('S3');
  });

  it('answers an unknown function with ResourceNotFoundException naming its ARN', async () => {
    const error = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('goes InProgress then Successful on update, refuses a second update meanwhile, and the waiter waits', async () => {
    const before = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    const updating = await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', MemorySize: 512, Description: 'bigger' }));
    expect(updating.LastUpdateStatus).toBe('InProgress');
    expect(updating.State).toBe('Active');
    expect(updating.RevisionId).not.toBe(before.RevisionId);
    const second = await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', Timeout: 9 })).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ResourceConflictException);
    expect((second as Error).message).toBe(
      'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:api',
    );
    const waited = await settle('api');
    expect(waited.state).toBe('SUCCESS');
    const after = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    expect(after).toMatchObject({ MemorySize: 512, Description: 'bigger', LastUpdateStatus: 'Successful', Environment: { Variables: { KEEP: 'me' } } });
  });

  it.each([
    [{ MemorySize: 64 }, /MemorySize/],
    [{ MemorySize: 10_241 }, /MemorySize/],
    [{ Timeout: 0 }, /Timeout/],
    [{ Timeout: 901 }, /Timeout/],
    [{ Environment: { Variables: { AWS_REGION: 'x' } } }, /reserved keys.*AWS_REGION/],
  ])('rejects %j with InvalidParameterValueException', async (update, message) => {
    const error = await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', ...update })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [{ LoggingConfig: { LogGroup: { a: 1 } } }, "Value at 'loggingConfig.logGroup' failed to satisfy constraint: Member must be of type string (got object)"],
    [
      { LoggingConfig: { LogGroup: 'my group' } },
      "Value at 'loggingConfig.logGroup' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    ],
    [
      { LoggingConfig: { LogGroup: `/${'g'.repeat(512)}` } },
      "Value at 'loggingConfig.logGroup' failed to satisfy constraint: Member must have length less than or equal to 512",
    ],
    [{ Description: { a: 1 } }, "Value at 'description' failed to satisfy constraint: Member must be of type string (got object)"],
    [{ Description: 'd'.repeat(257) }, "Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"],
    [{ Handler: 'noop .handler' }, "Value at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+"],
    [{ Handler: `${'h'.repeat(121)}.handler` }, "Value at 'handler' failed to satisfy constraint: Member must have length less than or equal to 128"],
    [{ Environment: { Variables: { A: 1 } } }, "Value at 'environment.variables.A' failed to satisfy constraint: Member must be of type string (got number)"],
    [{ MemorySize: '256' }, "Value at 'memorySize' failed to satisfy constraint: Member must be of type number (got string)"],
  ])('refuses %j, checking each field for its type and AWS constraints', async (update, message) => {
    const reply = await fetch(`${t.platform.endpoints.lambda}/2015-03-31/functions/api/configuration`, { method: 'PUT', body: JSON.stringify(update) });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(((await reply.json()) as { message: string }).message).toBe(`1 validation error detected: ${message}`);
  });

  it('refuses an empty log group, naming every constraint it fails', async () => {
    const error = await t.lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', LoggingConfig: { LogGroup: '' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect((error as Error).message).toMatch(/^2 validation errors detected: .*length greater than or equal to 1; .*regular expression pattern/);
  });

  it('keeps CloudWatch Logs answering after an ill-typed log group was refused', async () => {
    await fetch(`${t.platform.endpoints.lambda}/2015-03-31/functions/api/configuration`, { method: 'PUT', body: '{"LoggingConfig":{"LogGroup":{"a":1}}}' });
    await t.lambda.send(new InvokeCommand({ FunctionName: 'api' }));
    const groups = await t.logs.send(new DescribeLogGroupsCommand({}));
    expect(groups.logGroups?.map((group) => group.logGroupName)).toContain('/aws/lambda/api');
  });

  it('refuses a stale RevisionId with PreconditionFailedException', async () => {
    const error = await t.lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', Timeout: 7, RevisionId: '00000000-0000-0000-0000-000000000000' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailedException);
  });
});

describe('versions and aliases', () => {
  it('publishes versions, returns the same version when nothing changed, and lists them in pages', async () => {
    const v1 = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'versions', Description: 'first' }));
    expect(v1).toMatchObject({ Version: '1', State: 'Pending', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:versions:1' });
    const active = await waitUntilPublishedVersionActive({ client: t.lambda, maxWaitTime: 20 }, { FunctionName: 'versions', Qualifier: '1' });
    expect(active.state).toBe('SUCCESS');
    const again = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'versions' }));
    expect(again.Version).toBe('1');

    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'versions', MemorySize: 1024 }));
    const during = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'versions' })).catch((e: unknown) => e);
    expect(during).toBeInstanceOf(ResourceConflictException);
    await settle('versions');
    const v2 = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'versions' }));
    expect(v2).toMatchObject({ Version: '2', MemorySize: 1024 });
    const v1Config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'versions', Qualifier: '1' }));
    expect(v1Config).toMatchObject({ Version: '1', MemorySize: 128, Description: 'first', State: 'Active' });

    const page1 = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versions', MaxItems: 2 }));
    expect(page1.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    expect(page1.NextMarker).toBeDefined();
    const page2 = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versions', Marker: page1.NextMarker }));
    expect(page2.Versions?.map((v) => v.Version)).toEqual(['2']);
    expect(page2.NextMarker).toBeUndefined();
  });

  it('creates, reads, updates and deletes aliases, with the errors AWS gives', async () => {
    const created = await t.lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '1' }));
    expect(created).toMatchObject({ Name: 'live', FunctionVersion: '1', AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:versions:live' });
    expect(
      await t.lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '1' })).catch((e: unknown) => e),
    ).toBeInstanceOf(ResourceConflictException);
    expect(
      await t.lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'ghost', FunctionVersion: '99' })).catch((e: unknown) => e),
    ).toBeInstanceOf(ResourceNotFoundException);
    const updated = await t.lambda.send(new UpdateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '2' }));
    expect(updated.FunctionVersion).toBe('2');
    expect(updated.RevisionId).not.toBe(created.RevisionId);
    const viaAlias = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'versions:live' }));
    expect(viaAlias.Version).toBe('2');
    expect((await t.lambda.send(new ListAliasesCommand({ FunctionName: 'versions' }))).Aliases?.map((a) => a.Name)).toEqual(['live']);

    const blocked = await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'versions', Qualifier: '2' })).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(ResourceConflictException);
    expect((blocked as Error).message).toContain('live');

    await t.lambda.send(new DeleteAliasCommand({ FunctionName: 'versions', Name: 'live' }));
    await t.lambda.send(new DeleteAliasCommand({ FunctionName: 'versions', Name: 'live' }));
    expect(await t.lambda.send(new GetAliasCommand({ FunctionName: 'versions', Name: 'live' })).catch((e: unknown) => e)).toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('deletes a version but never $LATEST through a qualifier', async () => {
    const latest = await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'versions', Qualifier: '$LATEST' })).catch((e: unknown) => e);
    expect(latest).toBeInstanceOf(InvalidParameterValueException);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'versions', Qualifier: '2' }));
    const gone = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'versions', Qualifier: '2' })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    const listed = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versions' }));
    expect(listed.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
  });
});
