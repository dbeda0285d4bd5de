/** An error the platform answers with, shaped the way AWS shapes it for its SDK clients. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', 404, message);

export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterValueException', 400, message);

export const conflict = (message: string): AwsError => new AwsError('ResourceConflictException', 409, message);

export const updateInProgress = (arn: string): AwsError =>
  conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${arn}`);

export const preconditionFailed = (): AwsError =>
  new AwsError(
    'PreconditionFailedException',
    412,
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
  );

export const tooManyRequests = (reason: string, retryAfterSeconds = 1, message = 'Rate Exceeded.'): AwsError =>
  new AwsError('TooManyRequestsException', 429, message, { Reason: reason }, { 'Retry-After': String(retryAfterSeconds) });
