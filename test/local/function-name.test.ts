import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/local/aws-error.js';
import { functionArn, parseFunctionRef } from '../../src/local/function-name.js';

describe('parseFunctionRef', () => {
  it.each([
    ['hasher', { name: 'hasher', qualifier: undefined }],
    ['hasher:7', { name: 'hasher', qualifier: '7' }],
    ['hasher:$LATEST', { name: 'hasher', qualifier: '$LATEST' }],
    ['123456789012:function:hasher', { name: 'hasher', qualifier: undefined }],
    ['123456789012:function:hasher:live', { name: 'hasher', qualifier: 'live' }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:hasher', { name: 'hasher', qualifier: undefined }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:hasher:3', { name: 'hasher', qualifier: '3' }],
  ])('reads %s', (raw, expected) => {
    expect(parseFunctionRef(raw)).toEqual(expected);
  });

  it('takes the Qualifier parameter, and refuses one that contradicts the name', () => {
    expect(parseFunctionRef('hasher', '2')).toEqual({ name: 'hasher', qualifier: '2' });
    expect(parseFunctionRef('hasher:2', '2')).toEqual({ name: 'hasher', qualifier: '2' });
    expect(() => parseFunctionRef('hasher:2', '3')).toThrow(/does not match/);
  });

  it.each(['', 'has her', 'a:b:c', 'arn:aws:s3:::bucket', '12345:function:x', 'x'.repeat(65)])('refuses %j with a ValidationException', (raw) => {
    const error = (() => {
      try {
        parseFunctionRef(raw);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('ValidationException');
  });

  it('builds ARNs with and without a qualifier', () => {
    expect(functionArn('us-east-1', '123456789012', 'f')).toBe('arn:aws:lambda:us-east-1:123456789012:function:f');
    expect(functionArn('us-east-1', '123456789012', 'f', '1')).toBe('arn:aws:lambda:us-east-1:123456789012:function:f:1');
  });
});
