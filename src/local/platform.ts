import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalFunctionConfig } from '../config/local-config.js';
import { packageRoot } from '../package-root.js';
import { AwsError } from './aws-error.js';
import { digestCode } from './code.js';
import { ExecutionEnvironment } from './environment.js';
import { MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';
import { type FunctionVersionConfig, lambdaTimestamp, newRevisionId } from './function-config.js';
import { FunctionRegistry } from './functions.js';
import { Invoker } from './invoker.js';
import { type ApiRequest, type ApiResponse, createLambdaApi } from './lambda-api.js';
import { type CpuLimitBackend, type CpuLimitMode, cpuShare, createCpuBackend } from './limits/cpu.js';
import { LogStore } from './log-store.js';
import { createLogsApi } from './logs-api.js';
import { EnvironmentPool } from './pool.js';
import { type LocalS3, S3_CREDENTIALS, type SeedBucket, startS3, urlHost } from './s3.js';

export const LOCAL_ACCOUNT_ID = '123456789012';
/** Any credentials do for the platform; the SDK only needs some to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'lambda-tune-local', secretAccessKey: 'lambda-tune-local' } as const;
/** Request bodies beyond this are refused before they are read whole. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface PlatformOptions {
  functions: LocalFunctionConfig[];
  host?: string;
  port?: number;
  region?: string;
  /** S3 for the functions; `false` runs without it. */
  s3?: { directory?: string | undefined; buckets: SeedBucket[] } | false;
  cpuLimit?: CpuLimitMode;
  maxEnvironments?: number;
  idleTimeoutMs?: number;
  /** How long UpdateFunctionConfiguration stays InProgress, and PublishVersion Pending. */
  updateDelayMs?: number;
  publishDelayMs?: number;
}

export interface Endpoints {
  lambda: string;
  logs: string;
  s3?: string | undefined;
}

export interface Platform {
  endpoints: Endpoints;
  region: string;
  credentials: typeof LOCAL_CREDENTIALS;
  /** How CPU is limited here: by cgroup, by the platform's own throttle, or not at all. */
  cpuLimit: string;
  /** Live execution environments, all or of one function. */
  environmentCount(functionName?: string): number;
  stop(): Promise<void>;
}

/** Starts the embedded Lambda + CloudWatch Logs (+ S3) platform on loopback. */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const cpu = createCpuBackend(options.cpuLimit ?? 'auto');
  let s3: LocalS3 | undefined;
  try {
    s3 =
      options.s3 === false || options.s3 === undefined
        ? undefined
        : await startS3({
            host,
            region,
            directory: options.s3.directory ?? path.join(tmpdir(), 'lambda-tune', 's3'),
            buckets: options.s3.buckets,
          });
    return await assemble(options, host, region, cpu, s3);
  } catch (error) {
    await s3?.stop();
    cpu.dispose();
    throw error;
  }
}

async function assemble(options: PlatformOptions, host: string, region: string, cpu: CpuLimitBackend, s3: LocalS3 | undefined): Promise<Platform> {
  const logs = new LogStore();
  const bootstrapPath = path.join(packageRoot(), 'dist', 'local', 'runtime', 'bootstrap.js');
  if (!existsSync(bootstrapPath)) throw new Error(`The Node.js runtime bootstrap is missing at ${bootstrapPath}; run "npm run build".`);
  const baseEnvironment: Record<string, string> = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    // The SDK's warning about Node 20 would otherwise land in every cold start's log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(s3 === undefined ? {} : { AWS_ENDPOINT_URL_S3: s3.endpoint }),
  };
  let envCounter = 0;
  const pool = new EnvironmentPool({
    maxEnvironments: options.maxEnvironments ?? 32,
    idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
    create: (config) =>
      new ExecutionEnvironment(config, {
        bootstrapPath,
        baseEnvironment,
        log: (group, stream, message) => logs.append(group, stream, message),
        cpu: cpu.create(`env-${++envCounter}`, cpuShare(config.memoryMb)),
        onDead: (environment) => pool.died(environment),
      }),
  });
  const registry = new FunctionRegistry({
    region,
    accountId: LOCAL_ACCOUNT_ID,
    updateDelayMs: options.updateDelayMs ?? 500,
    publishDelayMs: options.publishDelayMs ?? 200,
    onRetire: (name, version) => pool.retire(name, version),
  });
  for (const fn of options.functions) registry.add(initialConfig(fn), fn.reservedConcurrency);
  const invoker = new Invoker(registry, pool);
  const lambdaApi = createLambdaApi(registry, invoker);
  const logsApi = createLogsApi(logs, region, LOCAL_ACCOUNT_ID);

  const server = http.createServer((req, res) => {
    void serve(req, res, lambdaApi, logsApi);
  });
  server.keepAliveTimeout = 60_000;
  try {
    await listen(server, host, options.port ?? 0);
  } catch (error) {
    registry.close();
    await pool.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  return {
    endpoints: { lambda: url, logs: url, s3: s3?.endpoint },
    region,
    credentials: LOCAL_CREDENTIALS,
    cpuLimit: cpu.kind,
    environmentCount: (name) => pool.count(name),
    stop: async () => {
      invoker.close();
      registry.close();
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), pool.close(), stopS3(s3)]);
      cpu.dispose();
    },
  };
}

async function stopS3(s3: LocalS3 | undefined): Promise<void> {
  await s3?.stop();
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function initialConfig(fn: LocalFunctionConfig): FunctionVersionConfig {
  const codeDir = path.dirname(fn.handler);
  return {
    functionName: fn.name,
    version: '$LATEST',
    runtime: fn.runtime,
    handler: path.basename(fn.handler),
    codeDir,
    ...digestCode(codeDir),
    description: fn.description,
    memoryMb: fn.memoryMb,
    timeoutS: fn.timeoutS,
    ephemeralStorageMb: 512,
    environment: { ...fn.environment },
    architecture: fn.architecture,
    logFormat: fn.logFormat,
    logGroup: `/aws/lambda/${fn.name}`,
    lastModified: lambdaTimestamp(new Date()),
    revisionId: newRevisionId(),
    state: 'Active',
    lastUpdateStatus: 'Successful',
  };
}

type LogsApi = ReturnType<typeof createLogsApi>;

async function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  lambdaApi: (request: ApiRequest) => Promise<ApiResponse>,
  logsApi: LogsApi,
): Promise<void> {
  const target = req.headers['x-amz-target'];
  const isLogs = typeof target === 'string';
  let requestId: string = randomUUID();
  try {
    const body = await readBody(req);
    if (isLogs) {
      const input = body.length === 0 ? {} : (JSON.parse(body.toString()) as Record<string, unknown>);
      send(res, 200, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId }, Buffer.from(JSON.stringify(logsApi(target, input))));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const response = await lambdaApi({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
    requestId = response.requestId ?? requestId;
    const payload = response.body === undefined ? undefined : Buffer.isBuffer(response.body) ? response.body : Buffer.from(JSON.stringify(response.body));
    send(res, response.status, { 'Content-Type': 'application/json', ...response.headers, 'x-amzn-RequestId': requestId }, payload);
  } catch (error) {
    const aws =
      error instanceof AwsError
        ? error
        : error instanceof SyntaxError && isLogs
          ? new AwsError('SerializationException', 400, 'The request body is not valid JSON.')
          : new AwsError('ServiceException', 500, `The local platform failed: ${(error as Error).message}`);
    const payload = isLogs
      ? { __type: aws.code, message: aws.message }
      : { Type: aws.statusCode >= 500 ? 'Service' : 'User', message: aws.message, ...aws.extra };
    send(
      res,
      aws.statusCode,
      {
        'Content-Type': isLogs ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-ErrorType': aws.code,
        'x-amzn-RequestId': requestId,
        ...aws.headers,
      },
      Buffer.from(JSON.stringify(payload)),
    );
  }
}

function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body?: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': String(body?.length ?? 0) });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the client still gets its 413.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(
            new AwsError(
              'RequestEntityTooLargeException',
              413,
              `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
            ),
          )
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}
