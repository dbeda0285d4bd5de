import { AwsError } from './aws-error.js';

/** One call to the Lambda REST API, as the platform's HTTP server hands it over. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | object;
  /** The request id to answer with, when the operation made one (Invoke). */
  requestId?: string;
}

export function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's JSON object (an empty body is an empty object); its fields are the caller's to check. */
export function jsonBody(request: ApiRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString());
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('InvalidRequestContentException', 400, 'Could not parse request body into json.');
  }
  return parsed as Record<string, unknown>;
}
