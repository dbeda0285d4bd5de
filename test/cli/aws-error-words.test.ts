import { InvalidParameterValueException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { explainAwsError, withoutVariableValues } from '../../src/cli/aws.js';

const MEASURED =
  'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"API_KEY":"sk_live_secret","LAMBDA_TUNE_COLD":"ab12cd34-3"}';

describe('AWS messages shown to the user', () => {
  it('never carry the variables Lambda quotes when they are over 4 KB', () => {
    const error = new InvalidParameterValueException({ message: MEASURED, $metadata: { httpStatusCode: 400 } });
    const explained = explainAwsError(error, { functionName: 'orders', region: 'us-east-1', profile: undefined });
    expect(explained?.message).toContain('exceeded the 4KB limit');
    expect(explained?.message).toContain('(the variables Lambda measured are not shown)');
    expect(explained?.message).not.toContain('sk_live_secret');
    expect(explained?.message).not.toContain('String measured');
  });

  it('leave other messages as they are', () => {
    expect(withoutVariableValues('Function not found: arn:aws:lambda:us-east-1:1:function:x')).toBe(
      'Function not found: arn:aws:lambda:us-east-1:1:function:x',
    );
  });
});
