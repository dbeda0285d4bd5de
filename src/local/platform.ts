import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LocalFunctionConfig } from '../config/local-config.js';
import { packageRoot } from '../package-root.js';
import { digestCode } from './code.js';
import { type EnvironmentDeps, ExecutionEnvironment } from './environment.js';
import { type FunctionVersionConfig, lambdaTimestamp, newRevisionId } from './function-config.js';
import { invalidParameter } from './aws-error.js';
import { handlerConstraintProblem } from './configuration-update.js';
import { environmentProblem } from './environment-keys.js';
import { type FaultInput, Faults } from './faults.js';
import { FunctionRegistry } from './functions.js';
import { handlerProblem } from './handler-path.js';
import { DEFAULT_QUEUE_LIMITS, Invoker, type QueueLimits } from './invoker.js';
import { createLambdaApi } from './lambda-api.js';
import { type CpuLimitBackend, type CpuLimitMode, cpuShare, createCpuBackend } from './limits/cpu.js';
import { LogStore, type LogStoreOptions } from './log-store.js';
import { createLogsApi } from './logs-api.js';
import { platformRequestHandler } from './platform-http.js';
import { EnvironmentPool } from './pool.js';
import { userTempFolder } from './private-folder.js';
import { lazyPythonInterpreter } from './python-interpreter.js';
import type { PythonRuntime } from './runtime-launch.js';
import { runtimeFamily, runtimeProblem } from './runtimes.js';
import { type LocalS3, S3_CREDENTIALS, type SeedBucket, startS3, urlHost } from './s3.js';

export const LOCAL_ACCOUNT_ID = '123456789012';
/** Any credentials do for the platform; the SDK only needs some to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'lambda-tune-local', secretAccessKey: 'lambda-tune-local' } as const;

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
  /** How much the Event queue holds before Event invocations are throttled. */
  queueLimits?: Partial<QueueLimits>;
  /** How much CloudWatch Logs keeps per log group before it lets the oldest events go. */
  logLimits?: Partial<Pick<LogStoreOptions, 'maxEventsPerGroup' | 'maxBytesPerGroup'>>;
  /** Made-up trouble for testing what calls the platform (throttles, errors, latency, late logs, stuck updates). */
  faults?: FaultInput;
  /** The interpreter Python functions run with: a name looked up on PATH, or a path (default `python3`). */
  python?: string;
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
    s3 = await startOptionalS3(options, host, region);
    return await assemble(options, host, region, cpu, s3);
  } catch (error) {
    await s3?.stop();
    cpu.dispose();
    throw error;
  }
}

async function startOptionalS3(options: PlatformOptions, host: string, region: string): Promise<LocalS3 | undefined> {
  if (options.s3 === false || options.s3 === undefined) return undefined;
  const directory = options.s3.directory ?? path.join(userTempFolder(), 's3');
  return startS3({ host, region, directory, buckets: options.s3.buckets });
}

interface Services {
  faults: Faults;
  logs: LogStore;
  pool: EnvironmentPool;
  registry: FunctionRegistry;
  invoker: Invoker;
}

async function assemble(options: PlatformOptions, host: string, region: string, cpu: CpuLimitBackend, s3: LocalS3 | undefined): Promise<Platform> {
  const { faults, logs, pool, registry, invoker } = createServices(options, region, cpu, s3);
  const server: http.Server = http.createServer(
    platformRequestHandler({
      lambdaApi: createLambdaApi(registry, invoker, faults),
      logsApi: createLogsApi(logs, region, LOCAL_ACCOUNT_ID),
      address: () => ({ host, port: (server.address() as AddressInfo | null)?.port ?? 0 }),
      faults,
    }),
  );
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
      await Promise.all([closeServer(server), pool.close(), s3?.stop()]);
      cpu.dispose();
    },
  };
}

/** What answers the APIs: CloudWatch Logs, the environments, the functions and the invoker, with the faults they are to show. */
function createServices(options: PlatformOptions, region: string, cpu: CpuLimitBackend, s3: LocalS3 | undefined): Services {
  const faults = new Faults(options.faults);
  const logs = new LogStore(Date.now, { ...options.logLimits, visibleAfterMs: faults.logDelayMs });
  const pool = createPool(options, cpu, {
    bootstrapPath: bootstrapPath(),
    python: pythonRuntime(options.python ?? 'python3'),
    baseEnvironment: functionBaseEnvironment(region, s3),
    log: (group, stream, message, requestId) => {
      if (requestId === undefined || !faults.losesLogsOf(requestId)) logs.append(group, stream, message);
    },
  });
  const registry = createRegistry(options, region, pool, faults.updateInProgressMs);
  const invoker = new Invoker(registry, pool, { ...DEFAULT_QUEUE_LIMITS, ...options.queueLimits });
  return { faults, logs, pool, registry, invoker };
}

/** The runtime bootstrap is run from the build output. */
function bootstrapPath(): string {
  const bootstrap = path.join(packageRoot(), 'dist', 'local', 'runtime', 'bootstrap.js');
  if (!existsSync(bootstrap)) throw new Error(`The Node.js runtime bootstrap is missing at ${bootstrap}; run "npm run build".`);
  return bootstrap;
}

/** Python functions run the Python bootstrap in the package's runtimes/python folder, with the interpreter found when the first one starts. */
function pythonRuntime(command: string): PythonRuntime {
  return { bootstrapPath: path.join(packageRoot(), 'runtimes', 'python', 'bootstrap.py'), interpreter: lazyPythonInterpreter(command) };
}

/** What every function's process gets besides its own variables: the region, S3's endpoint and credentials that only work there. */
function functionBaseEnvironment(region: string, s3: LocalS3 | undefined): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    // The SDK's warning about Node 20 would otherwise land in every cold start's log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(s3 === undefined ? {} : { AWS_ENDPOINT_URL_S3: s3.endpoint }),
  };
}

function createPool(options: PlatformOptions, cpu: CpuLimitBackend, deps: Omit<EnvironmentDeps, 'cpu' | 'onDead'>): EnvironmentPool {
  let created = 0;
  const pool: EnvironmentPool = new EnvironmentPool({
    maxEnvironments: options.maxEnvironments ?? 32,
    idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
    create: (config) =>
      new ExecutionEnvironment(config, {
        ...deps,
        cpu: cpu.create(`env-${++created}`, cpuShare(config.memoryMb)),
        onDead: (environment) => {
          pool.died(environment);
        },
      }),
  });
  return pool;
}

function createRegistry(options: PlatformOptions, region: string, pool: EnvironmentPool, stuckUpdateMs: number | undefined): FunctionRegistry {
  const registry = new FunctionRegistry({
    region,
    accountId: LOCAL_ACCOUNT_ID,
    updateDelayMs: stuckUpdateMs ?? options.updateDelayMs ?? 500,
    publishDelayMs: options.publishDelayMs ?? 200,
    onRetire: (name, version) => {
      pool.retire(name, version);
    },
  });
  for (const fn of options.functions) registry.add(initialConfig(fn), fn.reservedConcurrency);
  return registry;
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

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

/**
 * The `$LATEST` configuration of a function from the local config. Refuses (InvalidParameterValue)
 * a runtime it cannot run, a handler that leads out of its folder and variables a function may not
 * set, as the API does.
 */
export function initialConfig(fn: LocalFunctionConfig): FunctionVersionConfig {
  const codeDir = path.dirname(fn.handler);
  const handler = path.basename(fn.handler);
  const problem =
    runtimeProblem(fn.runtime) ??
    handlerConstraintProblem(handler) ??
    handlerProblem(codeDir, handler, runtimeFamily(fn.runtime)) ??
    environmentProblem(fn.environment);
  if (problem !== undefined) throw invalidParameter(`Function ${fn.name}: ${problem}`);
  return {
    functionName: fn.name,
    version: '$LATEST',
    runtime: fn.runtime,
    handler,
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
