import { AwsError, invalidParameter } from './aws-error.js';

export interface FunctionRef {
  name: string;
  qualifier: string | undefined;
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[0-9]+|[a-zA-Z0-9_-]{1,128})$/;

/**
 * Reads a FunctionName as Lambda accepts it: `name`, `name:qualifier`,
 * `123456789012:function:name[:qualifier]` or `arn:aws:lambda:region:account:function:name[:qualifier]`.
 * A `Qualifier` query parameter may add the qualifier; giving two different ones is an error.
 */
export function parseFunctionRef(raw: string, queryQualifier?: string): FunctionRef {
  const parts = raw.split(':');
  let name: string | undefined;
  let qualifier: string | undefined;
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') throw badName(raw);
    [name, qualifier] = [parts[6], parts[7]];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    if (parts.length > 4 || !/^\d{12}$/.test(parts[0] ?? '')) throw badName(raw);
    [name, qualifier] = [parts[2], parts[3]];
  } else if (parts.length <= 2) {
    [name, qualifier] = [parts[0], parts[1]];
  }
  if (name === undefined || !NAME.test(name)) throw badName(raw);
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) throw badName(raw);
  if (queryQualifier !== undefined && queryQualifier !== '') {
    if (!QUALIFIER.test(queryQualifier)) throw invalidParameter(`Invalid qualifier: ${queryQualifier}`);
    if (qualifier !== undefined && qualifier !== queryQualifier) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    qualifier = queryQualifier;
  }
  return { name, qualifier };
}

function badName(raw: string): AwsError {
  return new AwsError(
    'ValidationException',
    400,
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
