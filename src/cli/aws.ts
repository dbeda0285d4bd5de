import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RuntimeFailure, UsageError, type UserError } from '../errors.js';

export interface AwsTarget {
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  region: string;
  profile: string | undefined;
  destroy(): void;
}

/** Clients for real AWS through the default credential chain; --region and --profile win over the environment. */
export async function awsTarget(region: string | undefined, profile: string | undefined, env: NodeJS.ProcessEnv): Promise<AwsTarget> {
  const config = { ...(region === undefined ? {} : { region }), ...(profile === undefined ? {} : { profile }) };
  const lambda = new LambdaClient(config);
  const logs = new CloudWatchLogsClient(config);
  let resolvedRegion: string;
  try {
    resolvedRegion = await lambda.config.region();
  } catch {
    lambda.destroy();
    logs.destroy();
    throw new UsageError(
      'NO_REGION',
      'No AWS region is set.',
      'Pass --region us-east-1 (or your region), set AWS_REGION, or give your profile a region; or try it locally with --local.',
    );
  }
  return { lambda, logs, region: resolvedRegion, profile: profile ?? env['AWS_PROFILE'], destroy: () => (lambda.destroy(), logs.destroy()) };
}

/** Turns what AWS (or the SDK) threw into a message that says what to do; undefined for errors that are not AWS's. */
export function explainAwsError(
  error: unknown,
  context: { functionName?: string | undefined; region: string; profile: string | undefined },
): UserError | undefined {
  if (!(error instanceof Error)) return undefined;
  const where = `region ${context.region}${context.profile === undefined ? ', default credentials' : `, profile ${context.profile}`}`;
  switch (error.name) {
    case 'CredentialsProviderError':
      return new RuntimeFailure(
        'NO_CREDENTIALS',
        `No AWS credentials were found (${where}).`,
        'Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run "aws configure" or "aws sso login", or run on the local platform with --local.',
      );
    case 'ResourceNotFoundException':
      return new RuntimeFailure(
        'FUNCTION_NOT_FOUND',
        `Function ${context.functionName === undefined ? '' : `"${context.functionName}" `}was not found (${where}): ${error.message}`,
        'Check the name and the region; list your functions with "aws lambda list-functions".',
      );
    case 'AccessDeniedException':
    case 'AccessDeniedExceptionV2':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new RuntimeFailure(
        'ACCESS_DENIED',
        `AWS refused the request (${where}): ${error.message}`,
        'README.md lists the IAM permissions lambda-tune needs; check the credentials are current.',
      );
    default:
      if ('$metadata' in error) {
        return new RuntimeFailure(
          'AWS_ERROR',
          `AWS answered ${error.name} (${where}): ${error.message}`,
          'Run again with --debug for details; the function was restored before exiting.',
        );
      }
      return undefined;
  }
}
