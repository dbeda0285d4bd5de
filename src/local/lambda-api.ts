import { type ApiRequest, type ApiResponse, jsonBody } from './api-request.js';
import { AwsError, invalidParameter } from './aws-error.js';
import { type FunctionRef, parseFunctionRef } from './function-name.js';
import type { FunctionRegistry } from './functions.js';
import { invokeFunction, type TailFaults } from './invoke-api.js';
import type { Invoker } from './invoker.js';

export type { ApiRequest, ApiResponse } from './api-request.js';

interface LambdaApiDeps {
  registry: FunctionRegistry;
  invoker: Invoker;
  faults: TailFaults;
}

/** The path's parameters, percent-decoded: the function as written, and the alias name ('' where the path has none). */
interface PathParams {
  functionRef: string;
  aliasName: string;
}

type Handler = (deps: LambdaApiDeps, params: PathParams, request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

interface Route {
  method: string;
  path: RegExp;
  handle: Handler;
}

/** The Lambda REST API (2015-03-31) operations the platform answers. */
export function createLambdaApi(
  registry: FunctionRegistry,
  invoker: Invoker,
  faults: TailFaults = { truncatesTail: () => false },
): (request: ApiRequest) => Promise<ApiResponse> {
  const deps = { registry, invoker, faults };
  return async (request) => {
    const { route, params } = findRoute(request);
    return route.handle(deps, params, request);
  };
}

/** The route for the request's path and method; a path known for other methods is a 405, an unknown one a 404. */
function findRoute(request: ApiRequest): { route: Route; params: PathParams } {
  const onPath = ROUTES.filter((route) => route.path.test(request.path));
  const route = onPath.find((candidate) => candidate.method === request.method);
  if (route === undefined) {
    throw onPath.length > 0
      ? new AwsError('MethodNotAllowedException', 405, `${request.method} is not allowed on ${request.path}.`)
      : new AwsError('UnknownOperationException', 404, `The local platform does not implement ${request.method} ${request.path}.`);
  }
  const [, functionRef = '', aliasName = ''] = route.path.exec(request.path) ?? [];
  return { route, params: { functionRef: decodePath(functionRef), aliasName: decodePath(aliasName) } };
}

const ok = (body: object): ApiResponse => ({ status: 200, body });
const noContent = (): ApiResponse => ({ status: 204 });

/** The function and qualifier a path names, with the `Qualifier` query parameter. */
function target(params: PathParams, request: ApiRequest): FunctionRef {
  return parseFunctionRef(params.functionRef, request.query.get('Qualifier') ?? undefined);
}

function functionName(params: PathParams): string {
  return parseFunctionRef(params.functionRef).name;
}

function configurationOf(registry: FunctionRegistry, { name, qualifier }: FunctionRef) {
  return registry.apiConfiguration(registry.configuration(name, qualifier), qualifier !== undefined);
}

function listFunctions({ registry }: LambdaApiDeps): ApiResponse {
  return ok({ Functions: registry.names().map((name) => configurationOf(registry, { name, qualifier: undefined })) });
}

function getFunction({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const ref = target(params, request);
  const { reservedConcurrency } = registry.get(ref.name);
  return ok({
    Configuration: configurationOf(registry, ref),
    Code: { RepositoryType: 'S3', Location: `file://${registry.configuration(ref.name, ref.qualifier).codeDir}` },
    ...(reservedConcurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: reservedConcurrency } }),
  });
}

function deleteFunction({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const { name, qualifier } = target(params, request);
  registry.deleteFunction(name, qualifier);
  return noContent();
}

function getFunctionConfiguration({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  return ok(configurationOf(registry, target(params, request)));
}

function updateFunctionConfiguration({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const updated = registry.update(functionName(params), jsonBody(request));
  return ok(registry.apiConfiguration(updated, false));
}

function publishVersion({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const published = registry.publish(functionName(params), jsonBody(request));
  return { status: 201, body: registry.apiConfiguration(published, true) };
}

function listVersionsByFunction({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const marker = request.query.get('Marker') ?? undefined;
  const maxItems = request.query.get('MaxItems');
  return ok(registry.listVersions(functionName(params), marker, maxItems === null ? undefined : Number(maxItems)));
}

function createAlias({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const name = functionName(params);
  return { status: 201, body: registry.apiAlias(name, registry.createAlias(name, jsonBody(request))) };
}

function listAliases({ registry }: LambdaApiDeps, params: PathParams): ApiResponse {
  const name = functionName(params);
  return ok({ Aliases: registry.listAliases(name).map((alias) => registry.apiAlias(name, alias)) });
}

function getAlias({ registry }: LambdaApiDeps, params: PathParams): ApiResponse {
  const name = functionName(params);
  return ok(registry.apiAlias(name, registry.getAlias(name, params.aliasName)));
}

function updateAlias({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const name = functionName(params);
  return ok(registry.apiAlias(name, registry.updateAlias(name, params.aliasName, jsonBody(request))));
}

function deleteAlias({ registry }: LambdaApiDeps, params: PathParams): ApiResponse {
  registry.deleteAlias(functionName(params), params.aliasName);
  return noContent();
}

function putFunctionConcurrency({ registry }: LambdaApiDeps, params: PathParams, request: ApiRequest): ApiResponse {
  const name = functionName(params);
  const value = (jsonBody(request) as { ReservedConcurrentExecutions?: number }).ReservedConcurrentExecutions;
  if (value === undefined) throw invalidParameter('ReservedConcurrentExecutions is required.');
  registry.setReservedConcurrency(name, value);
  return ok({ ReservedConcurrentExecutions: value });
}

function deleteFunctionConcurrency({ registry }: LambdaApiDeps, params: PathParams): ApiResponse {
  registry.setReservedConcurrency(functionName(params), undefined);
  return noContent();
}

function getFunctionConcurrency({ registry }: LambdaApiDeps, params: PathParams): ApiResponse {
  const value = registry.get(functionName(params)).reservedConcurrency;
  return ok(value === undefined ? {} : { ReservedConcurrentExecutions: value });
}

function invoke({ registry, invoker, faults }: LambdaApiDeps, params: PathParams, request: ApiRequest): Promise<ApiResponse> {
  return invokeFunction(registry, invoker, target(params, request), request, faults);
}

const ROUTES: Route[] = [
  { method: 'GET', path: /^\/2015-03-31\/functions\/?$/, handle: listFunctions },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)$/, handle: getFunction },
  { method: 'DELETE', path: /^\/2015-03-31\/functions\/([^/]+)$/, handle: deleteFunction },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, handle: getFunctionConfiguration },
  { method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, handle: updateFunctionConfiguration },
  { method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/versions$/, handle: publishVersion },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/versions$/, handle: listVersionsByFunction },
  { method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, handle: createAlias },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, handle: listAliases },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, handle: getAlias },
  { method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, handle: updateAlias },
  { method: 'DELETE', path: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, handle: deleteAlias },
  { method: 'PUT', path: /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/, handle: putFunctionConcurrency },
  { method: 'DELETE', path: /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/, handle: deleteFunctionConcurrency },
  { method: 'GET', path: /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/, handle: getFunctionConcurrency },
  { method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, handle: invoke },
];

function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AwsError('ValidationException', 400, `The path segment ${segment} is not valid percent-encoding.`);
  }
}
