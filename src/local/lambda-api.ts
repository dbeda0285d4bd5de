import { randomUUID } from 'node:crypto';
import { AwsError, invalidParameter } from './aws-error.js';
import { MAX_ASYNC_PAYLOAD_BYTES, MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';
import type { FunctionRegistry } from './functions.js';
import { parseFunctionRef } from './function-name.js';
import type { Invoker } from './invoker.js';

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

type Handler = (name: string, request: ApiRequest, extra: string | undefined) => ApiResponse | Promise<ApiResponse>;

/** The Lambda REST API (2015-03-31) operations the platform answers. */
export function createLambdaApi(registry: FunctionRegistry, invoker: Invoker) {
  const configurationOf = (name: string, qualifier: string | undefined) => {
    const config = registry.configuration(name, qualifier);
    return registry.apiConfiguration(config, qualifier !== undefined);
  };
  const ref = (raw: string, request: ApiRequest) => parseFunctionRef(raw, request.query.get('Qualifier') ?? undefined);

  const routes: [string, RegExp, Handler][] = [
    [
      'GET',
      /^\/2015-03-31\/functions\/?$/,
      () => ({
        status: 200,
        body: { Functions: registry.names().map((name) => configurationOf(name, undefined)) },
      }),
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)$/,
      (raw, request) => {
        const { name, qualifier } = ref(raw, request);
        const fn = registry.get(name);
        return {
          status: 200,
          body: {
            Configuration: configurationOf(name, qualifier),
            Code: { RepositoryType: 'S3', Location: `file://${registry.configuration(name, qualifier).codeDir}` },
            ...(fn.reservedConcurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
          },
        };
      },
    ],
    [
      'DELETE',
      /^\/2015-03-31\/functions\/([^/]+)$/,
      (raw, request) => {
        const { name, qualifier } = ref(raw, request);
        registry.deleteFunction(name, qualifier);
        return { status: 204 };
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
      (raw, request) => {
        const { name, qualifier } = ref(raw, request);
        return { status: 200, body: configurationOf(name, qualifier) };
      },
    ],
    [
      'PUT',
      /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
      (raw, request) => {
        const { name } = unqualified(raw);
        const updated = registry.update(name, jsonBody(request));
        return { status: 200, body: registry.apiConfiguration(updated, false) };
      },
    ],
    [
      'POST',
      /^\/2015-03-31\/functions\/([^/]+)\/versions$/,
      (raw, request) => {
        const { name } = unqualified(raw);
        const published = registry.publish(name, jsonBody(request));
        return { status: 201, body: registry.apiConfiguration(published, true) };
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)\/versions$/,
      (raw, request) => {
        const { name } = unqualified(raw);
        const maxItems = request.query.get('MaxItems');
        return { status: 200, body: registry.listVersions(name, request.query.get('Marker') ?? undefined, maxItems === null ? undefined : Number(maxItems)) };
      },
    ],
    [
      'POST',
      /^\/2015-03-31\/functions\/([^/]+)\/aliases$/,
      (raw, request) => {
        const { name } = unqualified(raw);
        return { status: 201, body: registry.apiAlias(name, registry.createAlias(name, jsonBody(request))) };
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)\/aliases$/,
      (raw) => {
        const { name } = unqualified(raw);
        return { status: 200, body: { Aliases: registry.listAliases(name).map((alias) => registry.apiAlias(name, alias)) } };
      },
    ],
    [
      'GET',
      /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
      (raw, _request, alias) => {
        const { name } = unqualified(raw);
        return { status: 200, body: registry.apiAlias(name, registry.getAlias(name, alias!)) };
      },
    ],
    [
      'PUT',
      /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
      (raw, request, alias) => {
        const { name } = unqualified(raw);
        return { status: 200, body: registry.apiAlias(name, registry.updateAlias(name, alias!, jsonBody(request))) };
      },
    ],
    [
      'DELETE',
      /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
      (raw, _request, alias) => {
        registry.deleteAlias(unqualified(raw).name, alias!);
        return { status: 204 };
      },
    ],
    [
      'PUT',
      /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/,
      (raw, request) => {
        const { name } = unqualified(raw);
        const value = jsonBody<{ ReservedConcurrentExecutions?: number }>(request).ReservedConcurrentExecutions;
        if (value === undefined) throw invalidParameter('ReservedConcurrentExecutions is required.');
        registry.setReservedConcurrency(name, value);
        return { status: 200, body: { ReservedConcurrentExecutions: value } };
      },
    ],
    [
      'DELETE',
      /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/,
      (raw) => {
        registry.setReservedConcurrency(unqualified(raw).name, undefined);
        return { status: 204 };
      },
    ],
    [
      'GET',
      /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/,
      (raw) => {
        const value = registry.get(unqualified(raw).name).reservedConcurrency;
        return { status: 200, body: value === undefined ? {} : { ReservedConcurrentExecutions: value } };
      },
    ],
    ['POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, (raw, request) => invoke(ref(raw, request), request)],
  ];

  async function invoke(target: { name: string; qualifier: string | undefined }, request: ApiRequest): Promise<ApiResponse> {
    const type = header(request, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      throw invalidParameter(`Unsupported invocation type: ${type}. Use RequestResponse, Event or DryRun.`);
    }
    const config = registry.forInvoke(target.name, target.qualifier);
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (request.body.length > limit) {
      throw new AwsError(
        'RequestEntityTooLargeException',
        413,
        type === 'Event'
          ? `${request.body.length} byte payload is too large for the Event invocation type (limit ${limit} bytes)`
          : `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
    }
    if (request.body.length > 0) {
      try {
        JSON.parse(request.body.toString());
      } catch (error) {
        throw new AwsError('InvalidRequestContentException', 400, `Could not parse request body into json: ${(error as Error).message}`);
      }
    }
    if (type === 'DryRun') return { status: 204 };
    const requestId = randomUUID();
    const invocation = {
      requestId,
      payload: request.body,
      invokedFunctionArn: registry.arn(target.name, target.qualifier),
      clientContext: clientContextHeader(header(request, 'x-amz-client-context')),
    };
    if (type === 'Event') {
      invoker.enqueue(config, invocation);
      return { status: 202, requestId };
    }
    const outcome = await invoker.invoke(config, invocation);
    const headers: Record<string, string> = { 'X-Amz-Executed-Version': config.version, 'Content-Type': 'application/json' };
    if (outcome.functionError !== undefined) headers['X-Amz-Function-Error'] = outcome.functionError;
    if (header(request, 'x-amz-log-type') === 'Tail') {
      headers['X-Amz-Log-Result'] = Buffer.from(outcome.logText).subarray(-4096).toString('base64');
    }
    return { status: 200, headers, body: outcome.payload, requestId };
  }

  return async (request: ApiRequest): Promise<ApiResponse> => {
    let pathMatched = false;
    for (const [method, pattern, handler] of routes) {
      const match = pattern.exec(request.path);
      if (match === null) continue;
      pathMatched = true;
      if (method !== request.method) continue;
      const [, rawName, extra] = match;
      return handler(decodePath(rawName ?? ''), request, extra === undefined ? undefined : decodePath(extra));
    }
    throw pathMatched
      ? new AwsError('MethodNotAllowedException', 405, `${request.method} is not allowed on ${request.path}.`)
      : new AwsError('UnknownOperationException', 404, `The local platform does not implement ${request.method} ${request.path}.`);
  };
}

/** X-Amz-Client-Context is base64 of JSON; the runtime gets the JSON, ASCII-only so it fits in a header. */
function clientContextHeader(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    return JSON.stringify(parsed).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  } catch {
    throw new AwsError('InvalidRequestContentException', 400, 'Client context must be a valid Base64-encoded JSON object.');
  }
}

function unqualified(raw: string): { name: string } {
  return { name: parseFunctionRef(raw).name };
}

function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AwsError('ValidationException', 400, `The path segment ${segment} is not valid percent-encoding.`);
  }
}

function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function jsonBody<T = Record<string, never>>(request: ApiRequest): T {
  if (request.body.length === 0) return {} as T;
  try {
    const parsed: unknown = JSON.parse(request.body.toString());
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as T;
  } catch {
    throw new AwsError('InvalidRequestContentException', 400, 'Could not parse request body into json.');
  }
}
