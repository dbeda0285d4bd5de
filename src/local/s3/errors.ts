/** An error S3 answers with: its code, HTTP status, message and the extra elements it adds to `<Error>`. */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

// Codes, statuses and messages as the S3 API reference lists them under "Error responses".

export const noSuchBucket = (bucket: string): S3Error => new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string): S3Error => new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });

export const noSuchUpload = (uploadId: string): S3Error =>
  new S3Error('NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: uploadId,
  });

export const bucketAlreadyOwnedByYou = (bucket: string): S3Error =>
  new S3Error('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });

export const bucketNotEmpty = (bucket: string): S3Error =>
  new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket });

export const invalidBucketName = (bucket: string): S3Error =>
  new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket });

export const invalidRange = (range: string, size: number): S3Error =>
  new S3Error(
    'InvalidRange',
    416,
    'The requested range is not satisfiable',
    { RangeRequested: range, ActualObjectSize: String(size) },
    { 'content-range': `bytes */${size}` },
  );

export const methodNotAllowed = (method: string, resourceType: string): S3Error =>
  new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', { Method: method, ResourceType: resourceType });

export const notImplemented = (what: string): S3Error =>
  new S3Error('NotImplemented', 501, `A header or query you provided implies functionality that is not implemented here: ${what}`);

export const malformedXml = (): S3Error =>
  new S3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');

export const maxMessageLengthExceeded = (): S3Error => new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.');

export const invalidArgument = (message: string, name: string, value: string): S3Error =>
  new S3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value });

export const invalidRequest = (message: string): S3Error => new S3Error('InvalidRequest', 400, message);

export const invalidUri = (): S3Error => new S3Error('InvalidURI', 400, "Couldn't parse the specified URI.");

export const keyTooLong = (): S3Error => new S3Error('KeyTooLongError', 400, 'Your key is too long');

export const badDigest = (what: string): S3Error => new S3Error('BadDigest', 400, `The ${what} you specified did not match the calculated checksum.`);

export const invalidDigest = (): S3Error => new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.');

export const contentSha256Mismatch = (): S3Error =>
  new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");

export const incompleteBody = (): S3Error =>
  new S3Error('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.');

export const entityTooLarge = (): S3Error => new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed object size.');

export const entityTooSmall = (): S3Error => new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.');

export const invalidPart = (): S3Error =>
  new S3Error(
    'InvalidPart',
    400,
    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  );

export const invalidPartOrder = (): S3Error =>
  new S3Error('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.');

export const preconditionFailed = (condition: string): S3Error =>
  new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

export const internalError = (cause: unknown): S3Error =>
  new S3Error('InternalError', 500, `We encountered an internal error. Please try again. (${cause instanceof Error ? cause.message : String(cause)})`);
