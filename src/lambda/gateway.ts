import { CloudWatchLogsClient, FilterLogEventsCommand, ResourceNotFoundException as LogsNotFound } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  type FunctionConfiguration,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { userError } from '../errors.js';
import type { Architecture } from '../result/types.js';

/** A function reference split into the function (name or ARN) and its qualifier (alias or version), if it names one. */
export interface FunctionRef {
  functionName: string;
  qualifier?: string | undefined;
}

/** `name:live`, `123456789012:function:name:7` and `arn:aws:lambda:…:function:name:live` name a qualifier; the rest do not. */
export function splitQualifier(ref: string): FunctionRef {
  const parts = ref.split(':');
  const unqualifiedParts = parts[0] === 'arn' ? 7 : parts[1] === 'function' ? 3 : 1;
  if (parts.length <= unqualifiedParts) return { functionName: ref };
  return { functionName: parts.slice(0, unqualifiedParts).join(':'), qualifier: parts.slice(unqualifiedParts).join(':') };
}

/** What the run needs to know of a function before it touches it, and to put it back. */
export interface FunctionSnapshot {
  name: string;
  arn: string;
  memoryMb: number;
  timeoutS: number;
  architecture: Architecture;
  logGroup: string;
  /** Versions that existed before the run: never deleted by it. */
  existingVersions: string[];
  /** Their descriptions, by version (a run's versions carry its mark). */
  versionDescriptions?: Record<string, string> | undefined;
  /** $LATEST's variables as read ({} when it has none); absent when Lambda could not show them (environmentError says why). */
  environment?: Record<string, string> | undefined;
  /** Why the variables could not be read (a KMS key the caller may not use): they cannot then be written back. */
  environmentError?: string | undefined;
  codeSha256?: string | undefined;
  runtime?: string | undefined;
  /** What must be alike for a version to run as $LATEST does (NAME:ALIAS compares them); absent from gateways that do not tell. */
  settings?: FunctionSettings | undefined;
}

/** The configuration a function runs with, memory aside: two versions alike in these (and in code) behave alike. */
export interface FunctionSettings {
  handler?: string | undefined;
  runtime?: string | undefined;
  layers: string[];
  architectures: string[];
  /** The variables, or why Lambda would not show them. */
  variables?: Record<string, string> | undefined;
  environmentError?: string | undefined;
  timeoutS: number;
  ephemeralStorageMb?: number | undefined;
  logGroup: string;
}

/** $LATEST as an update finds it: what a guard compares with what the run last wrote. */
export interface LatestState {
  memoryMb: number;
  variables?: Record<string, string> | undefined;
}

/** Throws (a user error saying what differs) when $LATEST is not as the caller expects it; called just before an update is sent. */
export type UpdateGuard = (latest: LatestState) => void;

/** A version or alias as it is, for measuring it without changing it. */
export interface VersionSnapshot {
  name: string;
  /** The version the qualifier names now (an alias's target). */
  version: string;
  memoryMb: number;
  timeoutS: number;
  architecture: Architecture;
  logGroup: string;
  codeSha256?: string | undefined;
  settings?: FunctionSettings | undefined;
  /** An alias with a routing configuration: the other versions it sends part of its traffic to. */
  routedVersions?: string[] | undefined;
}

/** A published version and the description it was published with. */
export interface VersionInfo {
  version: string;
  description: string;
}

export interface InvokeOutcome {
  requestId: string;
  functionError: string | undefined;
  payload: string;
  /** The log tail's lines (the last 4 KB of the invocation's log). */
  tailLines: string[];
  /** True when the tail was cut at 4 KB, so lines may be missing from it. */
  tailTruncated: boolean;
}

export interface GatewayOptions {
  /** Longest wait for an update or a new version to settle. */
  settleSeconds: number;
  /** How often to look whether it has. */
  settlePollMs: number;
  /** Longest wait for the answer to one control-plane call (not Invoke, which lasts as long as the function runs). */
  controlTimeoutMs: number;
  /** How long to poll CloudWatch Logs for an invocation's lines (they arrive late on AWS). */
  logWaitMs: number;
  logPollMs: number;
  /** Longest time to keep retrying a throttled invocation. */
  throttleWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultGatewayOptions: GatewayOptions = {
  settleSeconds: 300,
  settlePollMs: 1000,
  controlTimeoutMs: 10_000,
  logWaitMs: 30_000,
  logPollMs: 1000,
  throttleWaitMs: 300_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What measuring and restoring need of Lambda and CloudWatch Logs; tests may pass their own. */
export interface Gateway {
  describe(name: string): Promise<FunctionSnapshot>;
  describeVersion(name: string, qualifier: string): Promise<VersionSnapshot>;
  versions(name: string): Promise<VersionInfo[]>;
  /**
   * Sets $LATEST's memory and, when given, its environment variables (all of them: Lambda replaces the set), and waits until done.
   * Only if $LATEST is unchanged since it was read (RevisionId), passes `guard`, and is as this gateway last set it.
   */
  setMemory(name: string, memoryMb: number, environment?: Readonly<Record<string, string>>, guard?: UpdateGuard): Promise<void>;
  /** With `codeSha256`, Lambda publishes only when $LATEST still holds that code. */
  publish(name: string, description: string, existing: ReadonlySet<string>, codeSha256?: string): Promise<{ version: string; created: boolean }>;
  waitActive(name: string, version: string): Promise<void>;
  deleteVersion(name: string, version: string): Promise<void>;
  /** `answerWithinMs`: how long to wait for the answer, the function's timeout and a margin; 15 minutes and a half by default. */
  invoke(name: string, qualifier: string, payload: string, answerWithinMs?: number): Promise<InvokeOutcome>;
  findLogLines(logGroup: string, requestId: string, sinceMs: number, done: (lines: string[]) => boolean): Promise<string[]>;
  /** What the gateway met and got past on the way, so the run can say so. */
  encounters(): Encounters;
}

/** An alias as it is: the version it points to, and the revision an update must name so that it changes only what was read. */
export interface AliasState {
  version: string;
  revisionId: string | undefined;
}

/** What applying a recommendation to an alias needs besides the Gateway. */
export interface AliasGateway {
  /** The alias, or undefined when the function has none of that name. */
  getAlias(name: string, alias: string): Promise<AliasState | undefined>;
  createAlias(name: string, alias: string, version: string, description: string): Promise<void>;
  /** Points the alias at `version`; with `revisionId`, only if nobody changed the alias since it was read. */
  updateAlias(name: string, alias: string, version: string, revisionId?: string): Promise<void>;
  /** Deletes the alias; one that is already gone is no error (DeleteAlias answers 204 either way). */
  deleteAlias(name: string, alias: string): Promise<void>;
}

export interface Encounters {
  /** Requests the SDK sent again after a throttle, a server error or a dropped connection. */
  retried: number;
  /** Invocations throttled (429) and waited out. */
  throttled: number;
  /** Invocations whose log lines were looked up in CloudWatch Logs: the tail was cut short or lacked a line. */
  logLookups: number;
}

/** The only code of the tune command that calls the Lambda and CloudWatch Logs APIs. */
export class LambdaGateway implements Gateway, AliasGateway {
  private readonly options: GatewayOptions;
  private readonly met: Encounters = { retried: 0, throttled: 0, logLookups: 0 };
  /** What this gateway last set on each function's $LATEST: anything else found there was someone else's doing. */
  private readonly written = new Map<string, LatestState>();

  constructor(
    private readonly lambda: LambdaClient,
    private readonly logs: CloudWatchLogsClient,
    options: Partial<GatewayOptions> = {},
  ) {
    this.options = { ...defaultGatewayOptions, ...options };
  }

  async describe(name: string): Promise<FunctionSnapshot> {
    const config = await this.control((o) => this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }), o));
    const settings = settingsOf(config, name);
    const versions = await this.versions(name);
    return {
      name: config.FunctionName ?? name,
      arn: config.FunctionArn ?? name,
      memoryMb: config.MemorySize ?? 128,
      timeoutS: settings.timeoutS,
      architecture: config.Architectures?.[0] ?? 'x86_64',
      logGroup: settings.logGroup,
      existingVersions: versions.map((v) => v.version),
      versionDescriptions: Object.fromEntries(versions.map((v) => [v.version, v.description])),
      ...(settings.environmentError === undefined ? { environment: { ...settings.variables } } : { environmentError: settings.environmentError }),
      codeSha256: config.CodeSha256,
      runtime: config.Runtime,
      settings,
    };
  }

  /** A version, or an alias (read with GetAlias too, for the versions its routing configuration sends traffic to). */
  async describeVersion(name: string, qualifier: string): Promise<VersionSnapshot> {
    const config = await this.control((o) => this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }), o));
    const settings = settingsOf(config, name);
    const routedVersions = /^\d+$|^\$LATEST$/.test(qualifier) ? undefined : await this.routedVersions(name, qualifier);
    return {
      name: config.FunctionName ?? name,
      version: config.Version ?? qualifier,
      memoryMb: config.MemorySize ?? 128,
      timeoutS: settings.timeoutS,
      architecture: config.Architectures?.[0] ?? 'x86_64',
      logGroup: settings.logGroup,
      codeSha256: config.CodeSha256,
      settings,
      ...(routedVersions === undefined || routedVersions.length === 0 ? {} : { routedVersions }),
    };
  }

  private async routedVersions(name: string, alias: string): Promise<string[] | undefined> {
    const found = await this.control((o) => this.lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }), o));
    return Object.keys(found.RoutingConfig?.AdditionalVersionWeights ?? {});
  }

  async versions(name: string): Promise<VersionInfo[]> {
    const versions: VersionInfo[] = [];
    let marker: string | undefined;
    do {
      const page = await this.control((o) => this.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }), o));
      for (const v of page.Versions ?? []) {
        if (v.Version !== undefined && v.Version !== '$LATEST') versions.push({ version: v.Version, description: v.Description ?? '' });
      }
      marker = page.NextMarker;
    } while (marker !== undefined);
    return versions;
  }

  /**
   * Sets $LATEST's memory (and its variables, when given) and waits until the update is done. Waits out someone else's update
   * first; then sends it only if $LATEST is as this gateway last left it and as `guard` expects, naming the RevisionId read,
   * so that a change made meanwhile by anyone else stops the run (CHANGED_DURING_RUN) instead of being overwritten.
   */
  async setMemory(name: string, memoryMb: number, environment?: Readonly<Record<string, string>>, guard?: UpdateGuard): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.settle(name);
      // Named by ARN or by name, it is one function: what was written is kept by its name.
      const key = latest.FunctionName ?? name;
      const state = latestStateOf(latest);
      this.assertAsWritten(key, state);
      guard?.(state);
      const update = updateFor(name, state, memoryMb, environment);
      if (update === undefined || (await this.sendUpdate({ ...update, RevisionId: latest.RevisionId }, attempt))) {
        this.written.set(key, { memoryMb, variables: environment === undefined ? this.written.get(key)?.variables : { ...environment } });
        return;
      }
    }
  }

  /** Sends one update and waits until it is done: false when another update was in progress (409), to try again. */
  private async sendUpdate(update: ConfigurationUpdate & { RevisionId: string | undefined }, attempt: number): Promise<boolean> {
    try {
      await this.control((o) => this.lambda.send(new UpdateFunctionConfigurationCommand(update), o));
    } catch (error) {
      if (error instanceof PreconditionFailedException) {
        throw userError('CHANGED_DURING_RUN', { functionName: update.FunctionName, what: 'its configuration changed between reading and updating it' });
      }
      if (!(error instanceof ResourceConflictException) || attempt >= 5) throw error;
      return false;
    }
    await this.settle(update.FunctionName);
    return true;
  }

  /** Someone else changed $LATEST since this gateway last set it: the run stops rather than overwrite that. */
  private assertAsWritten(name: string, latest: LatestState): void {
    const written = this.written.get(name);
    if (written === undefined) return;
    const what = differences(written, latest);
    if (what.length > 0) throw userError('CHANGED_DURING_RUN', { functionName: name, what: what.join('; ') });
  }

  /**
   * Publishes $LATEST. `created` only when the version is new and carries this description: Lambda
   * hands back an existing version when nothing changed, and that may be the user's or another run's.
   */
  async publish(name: string, description: string, existing: ReadonlySet<string>, codeSha256?: string): Promise<{ version: string; created: boolean }> {
    const command = new PublishVersionCommand({ FunctionName: name, Description: description, CodeSha256: codeSha256 });
    const published = await this.control((o) => this.lambda.send(command, o));
    const version = published.Version;
    if (version === undefined) throw new Error(`Lambda published a version of ${name} without saying its number`);
    return { version, created: !existing.has(version) && published.Description === description };
  }

  /** Waits until a new version can be invoked (State Active). */
  async waitActive(name: string, version: string): Promise<void> {
    await this.pollUntil(`version ${version} of ${name} to become active`, async () => {
      const config = await this.control((o) => this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: version }), o));
      if (config.State === 'Failed')
        throw userError('LAMBDA_FAILED', { what: `Version ${version} of ${name}`, reason: config.StateReason ?? 'no reason given' });
      return config.State === 'Active';
    });
  }

  async deleteVersion(name: string, version: string): Promise<void> {
    try {
      await this.control((o) => this.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: version }), o));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }

  async getAlias(name: string, alias: string): Promise<AliasState | undefined> {
    try {
      const found = await this.control((o) => this.lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }), o));
      if (found.FunctionVersion === undefined) throw new Error(`Lambda answered alias ${alias} of ${name} without its version`);
      return { version: found.FunctionVersion, revisionId: found.RevisionId };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async createAlias(name: string, alias: string, version: string, description: string): Promise<void> {
    const command = new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version, Description: description });
    await this.control((o) => this.lambda.send(command, o));
  }

  async updateAlias(name: string, alias: string, version: string, revisionId?: string): Promise<void> {
    const command = new UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version, RevisionId: revisionId });
    await this.control((o) => this.lambda.send(command, o));
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.control((o) => this.lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: alias }), o));
  }

  /** Invokes once with the log tail; throttling is waited out and retried, never reported as a failure. */
  async invoke(name: string, qualifier: string, payload: string, answerWithinMs = 930_000): Promise<InvokeOutcome> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const command = new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: payload, LogType: 'Tail' });
        const result = await this.bounded(answerWithinMs, (o) => this.lambda.send(command, o));
        const tail = Buffer.from(result.LogResult ?? '', 'base64').toString();
        return {
          requestId: result.$metadata.requestId ?? '',
          functionError: result.FunctionError,
          payload: Buffer.from(result.Payload ?? new Uint8Array()).toString(),
          tailLines: tail.split('\n').filter((line) => line !== ''),
          tailTruncated: Buffer.byteLength(tail) >= 4000 && !tail.startsWith('START '),
        };
      } catch (error) {
        if (!(error instanceof TooManyRequestsException) || Date.now() - started > this.options.throttleWaitMs) throw error;
        if (attempt === 0) this.met.throttled++;
        await this.options.sleep(Math.min(5000, 100 * 2 ** attempt));
      }
    }
  }

  /** The log lines of one invocation from CloudWatch Logs, polling until `done` says they are all there or time runs out. */
  async findLogLines(logGroup: string, requestId: string, sinceMs: number, done: (lines: string[]) => boolean): Promise<string[]> {
    const deadline = Date.now() + this.options.logWaitMs;
    this.met.logLookups++;
    for (;;) {
      const lines = await this.filter(logGroup, requestId, sinceMs);
      if (done(lines) || Date.now() >= deadline) return lines;
      await this.options.sleep(this.options.logPollMs);
    }
  }

  private async filter(logGroup: string, requestId: string, sinceMs: number): Promise<string[]> {
    const lines: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const command = new FilterLogEventsCommand({ logGroupName: logGroup, filterPattern: `"${requestId}"`, startTime: sinceMs, nextToken });
        const page = await this.control((o) => this.logs.send(command, o));
        for (const event of page.events ?? []) if (event.message !== undefined) lines.push(...event.message.split('\n'));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
    } catch (error) {
      if (!(error instanceof LogsNotFound)) throw error;
    }
    return lines;
  }

  /** Waits until no update of $LATEST is in progress (LastUpdateStatus Successful), and answers its configuration then. */
  private async settle(name: string): Promise<FunctionConfiguration> {
    let settled: FunctionConfiguration | undefined;
    await this.pollUntil(`the update of ${name} to finish`, async () => {
      const config = await this.control((o) => this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }), o));
      if (config.LastUpdateStatus === 'Failed') {
        throw userError('LAMBDA_FAILED', { what: `The update of ${name}`, reason: config.LastUpdateStatusReason ?? 'no reason given' });
      }
      settled = config;
      return config.LastUpdateStatus === undefined || config.LastUpdateStatus === 'Successful';
    });
    return settled ?? {};
  }

  encounters(): Encounters {
    return { ...this.met };
  }

  /** Notes the attempts the SDK needed for a response beyond the first. */
  private counted<T extends { $metadata: { attempts?: number | undefined } }>(response: T): T {
    this.met.retried += Math.max(0, (response.$metadata.attempts ?? 1) - 1);
    return response;
  }

  /** One control-plane call (or logs lookup), given up on (as a TimeoutError) when no answer comes in controlTimeoutMs. */
  private control<T extends { $metadata: { attempts?: number | undefined } }>(send: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    return this.bounded(this.options.controlTimeoutMs, send);
  }

  /** A call given up on (as a TimeoutError) when no answer comes within `withinMs`; its retries are counted. */
  private async bounded<T extends { $metadata: { attempts?: number | undefined } }>(
    withinMs: number,
    send: (options: { abortSignal: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const signal = AbortSignal.timeout(withinMs);
    try {
      return this.counted(await send({ abortSignal: signal }));
    } catch (error) {
      if (!signal.aborted) throw error;
      const timeout = new Error(`no answer within ${withinMs / 1000} s`, { cause: error });
      timeout.name = 'TimeoutError';
      throw timeout;
    }
  }

  /**
   * Asks until `done` says yes, for at most settleSeconds. Unlike the SDK's waiters, an error
   * while asking ends the wait at once (the SDK has already retried what is worth retrying), so
   * an unreachable endpoint is reported in seconds, not after the whole wait.
   */
  private async pollUntil(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + this.options.settleSeconds * 1000;
    while (!(await done())) {
      if (Date.now() >= deadline) throw userError('WAIT_TIMEOUT', { what, seconds: this.options.settleSeconds });
      await this.options.sleep(this.options.settlePollMs);
    }
  }
}

/** The settings of a configuration GetFunctionConfiguration answered. */
function settingsOf(config: FunctionConfiguration, name: string): FunctionSettings {
  const error = config.Environment?.Error;
  return {
    handler: config.Handler,
    runtime: config.Runtime,
    layers: (config.Layers ?? []).flatMap((layer) => (layer.Arn === undefined ? [] : [layer.Arn])),
    architectures: config.Architectures ?? ['x86_64'],
    ...(error === undefined
      ? { variables: { ...config.Environment?.Variables } }
      : { environmentError: `${error.ErrorCode ?? 'Error'}: ${error.Message ?? ''}` }),
    timeoutS: config.Timeout ?? 3,
    ephemeralStorageMb: config.EphemeralStorage?.Size,
    logGroup: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${config.FunctionName ?? name}`,
  };
}

interface ConfigurationUpdate {
  FunctionName: string;
  MemorySize: number;
  Environment?: { Variables: Record<string, string> };
}

/** Only what differs from $LATEST now: no request when nothing does, and no Environment when the variables are already right. */
function updateFor(
  name: string,
  latest: LatestState,
  memoryMb: number,
  environment: Readonly<Record<string, string>> | undefined,
): ConfigurationUpdate | undefined {
  const variablesDiffer = environment !== undefined && (latest.variables === undefined || changedKeys(environment, latest.variables).length > 0);
  if (latest.memoryMb === memoryMb && !variablesDiffer) return undefined;
  return { FunctionName: name, MemorySize: memoryMb, ...(variablesDiffer ? { Environment: { Variables: { ...environment } } } : {}) };
}

function latestStateOf(config: FunctionConfiguration): LatestState {
  return { memoryMb: config.MemorySize ?? 128, ...(config.Environment?.Error === undefined ? { variables: { ...config.Environment?.Variables } } : {}) };
}

/**
 * What differs between $LATEST as expected and as found: its memory, and (when a variable set is
 * expected) the names of the variables added, removed or changed. Never their values: they may be secrets.
 */
export function differences(expected: LatestState, found: LatestState): string[] {
  const what: string[] = [];
  if (expected.memoryMb !== found.memoryMb) what.push(`memory ${found.memoryMb} MB where ${expected.memoryMb} MB was expected`);
  if (expected.variables !== undefined) {
    const changed = changedKeys(expected.variables, found.variables ?? {});
    if (changed.length > 0) what.push(`environment variables ${changed.join(', ')} differ`);
  }
  return what;
}

/** The names of the variables one set has and the other lacks, or holds with another value. */
export function changedKeys(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]).sort();
}
