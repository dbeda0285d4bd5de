import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { type UserError, userError } from '../errors.js';
import { isUnreachable } from '../lambda/unreachable.js';

export interface AwsTarget {
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  region: string;
  profile: string | undefined;
  destroy(): void;
}

/** Clients for real AWS through the default credential chain; --region and --profile win over the environment. */
export async function awsTarget(region: string | undefined, profile: string | undefined, env: NodeJS.ProcessEnv): Promise<AwsTarget> {
  assertEndpointsAreUrls(env);
  const config = {
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
    // A connection that cannot be made fails in seconds, not after the operating system's minutes.
    requestHandler: { connectionTimeout: 5000 },
  };
  const lambda = new LambdaClient(config);
  const logs = new CloudWatchLogsClient(config);
  let resolvedRegion: string;
  try {
    resolvedRegion = await lambda.config.region();
  } catch {
    lambda.destroy();
    logs.destroy();
    throw userError('NO_REGION', {});
  }
  return {
    lambda,
    logs,
    region: resolvedRegion,
    profile: profile ?? env['AWS_PROFILE'],
    destroy: () => {
      lambda.destroy();
      logs.destroy();
    },
  };
}

/** The SDK reads these to send requests elsewhere (a proxy, a test endpoint); a value that is no URL would fail at the first request. */
function assertEndpointsAreUrls(env: NodeJS.ProcessEnv): void {
  for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      throw userError('FLAG_INVALID', {
        flag: name,
        problem: `is not an http(s) URL: "${value}".`,
        hint: 'Set it to an endpoint like https://lambda.eu-west-1.amazonaws.com, or unset it.',
      });
    }
  }
}

/** Turns what AWS (or the SDK) threw into a message that says what to do; undefined for errors that are not AWS's. */
export function explainAwsError(
  error: unknown,
  context: { functionName?: string | undefined; region: string; profile: string | undefined },
): UserError | undefined {
  if (!(error instanceof Error)) return undefined;
  const detail = withoutVariableValues(error.message);
  const where = `region ${context.region}${context.profile === undefined ? ', default credentials' : `, profile ${context.profile}`}`;
  switch (error.name) {
    case 'CredentialsProviderError':
      return userError('NO_CREDENTIALS', { where, detail });
    case 'ResourceNotFoundException':
      return userError('FUNCTION_NOT_FOUND', { where, detail, functionName: context.functionName });
    case 'AccessDeniedException':
    case 'AccessDeniedExceptionV2':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return userError('ACCESS_DENIED', { where, detail });
    default:
      if (isUnreachable(error)) {
        return userError('ENDPOINT_UNREACHABLE', { where, detail });
      }
      if ('$metadata' in error) {
        return userError('AWS_ERROR', { where, detail, name: error.name });
      }
      return undefined;
  }
}

/**
 * An AWS message fit to show: Lambda's answer to variables over 4 KB ends with "String measured:"
 * and every variable, values (secrets, maybe) included; that part is cut off.
 */
export function withoutVariableValues(message: string): string {
  const at = message.search(/\bString measured:/i);
  return at === -1 ? message : `${message.slice(0, at).trimEnd()} (the variables Lambda measured are not shown)`;
}
