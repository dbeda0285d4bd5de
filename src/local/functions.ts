import { conflict, invalidParameter, notFound, preconditionFailed, updateInProgress } from './aws-error.js';
import { applyConfigurationUpdate, parseConfigurationUpdate } from './configuration-update.js';
import { type FunctionVersionConfig, lambdaTimestamp, newRevisionId, sameDeployment, toApiConfiguration } from './function-config.js';
import { functionArn } from './function-name.js';
import { MAX_TIMER_MS } from './timers.js';

export interface Alias {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
}

export interface LambdaFunction {
  name: string;
  /** What GetFunctionConfiguration shows for $LATEST, possibly mid-update. */
  latest: FunctionVersionConfig;
  /** What invocations of $LATEST run: the last configuration whose update finished. */
  active: FunctionVersionConfig;
  versions: Map<string, FunctionVersionConfig>;
  nextVersion: number;
  aliases: Map<string, Alias>;
  reservedConcurrency: number | undefined;
  timers: Set<NodeJS.Timeout>;
}

export interface PublishRequest {
  Description?: string;
  RevisionId?: string;
  CodeSha256?: string;
}

export interface CreateAliasRequest {
  Name?: string;
  FunctionVersion?: string;
  Description?: string;
}

export interface UpdateAliasRequest {
  FunctionVersion?: string;
  Description?: string;
  RevisionId?: string;
}

export interface RegistryOptions {
  region: string;
  accountId: string;
  /** How long an UpdateFunctionConfiguration stays InProgress (Infinity: for ever). */
  updateDelayMs: number;
  /** How long a published version stays Pending. */
  publishDelayMs: number;
  /** Called when a version's running environments must go: its configuration changed or it was deleted. */
  onRetire: (functionName: string, version: string) => void;
}

/** The functions the platform serves, with their versions, aliases and update state. */
export class FunctionRegistry {
  private readonly functions = new Map<string, LambdaFunction>();

  constructor(private readonly options: RegistryOptions) {}

  get role(): string {
    return `arn:aws:iam::${this.options.accountId}:role/lambda-tune-local`;
  }

  arn(name: string, qualifier?: string): string {
    return functionArn(this.options.region, this.options.accountId, name, qualifier);
  }

  add(config: FunctionVersionConfig, reservedConcurrency?: number): void {
    this.functions.set(config.functionName, {
      name: config.functionName,
      latest: config,
      active: config,
      versions: new Map(),
      nextVersion: 1,
      aliases: new Map(),
      reservedConcurrency,
      timers: new Set(),
    });
  }

  names(): string[] {
    return [...this.functions.keys()].sort();
  }

  get(name: string): LambdaFunction {
    const fn = this.functions.get(name);
    if (fn === undefined) throw notFound(`Function not found: ${this.arn(name)}`);
    return fn;
  }

  /** The configuration a qualifier names (undefined: $LATEST), as the configuration APIs show it. */
  configuration(name: string, qualifier?: string): FunctionVersionConfig {
    const fn = this.get(name);
    return this.versionOf(fn, this.resolveQualifier(fn, qualifier));
  }

  /** What an invocation with this qualifier runs, and the version it reports as executed. */
  forInvoke(name: string, qualifier?: string): FunctionVersionConfig {
    const fn = this.get(name);
    const version = this.resolveQualifier(fn, qualifier);
    const config = version === '$LATEST' ? fn.active : this.versionOf(fn, version);
    if (config.state === 'Pending') {
      throw conflict(`The operation cannot be performed at this time. The function is currently in the following state: Pending`);
    }
    return config;
  }

  apiConfiguration(config: FunctionVersionConfig, qualified: boolean) {
    const arn = qualified ? this.arn(config.functionName, config.version) : this.arn(config.functionName);
    return toApiConfiguration(config, arn, this.role);
  }

  /** UpdateFunctionConfiguration: `request` is the request's JSON object, checked here. */
  update(name: string, request: unknown): FunctionVersionConfig {
    const fn = this.get(name);
    const update = parseConfigurationUpdate(request);
    if (fn.latest.lastUpdateStatus === 'InProgress') throw updateInProgress(this.arn(name));
    if (update.RevisionId !== undefined && update.RevisionId !== fn.latest.revisionId) throw preconditionFailed();
    const next: FunctionVersionConfig = { ...fn.latest, environment: { ...fn.latest.environment } };
    applyConfigurationUpdate(next, update);
    next.lastModified = lambdaTimestamp(new Date());
    next.revisionId = newRevisionId();
    next.lastUpdateStatus = 'InProgress';
    fn.latest = next;
    this.later(fn, this.options.updateDelayMs, () => {
      fn.latest = { ...fn.latest, lastUpdateStatus: 'Successful', revisionId: newRevisionId() };
      fn.active = fn.latest;
      this.options.onRetire(name, '$LATEST');
    });
    return next;
  }

  publish(name: string, request: PublishRequest): FunctionVersionConfig {
    const fn = this.get(name);
    if (fn.latest.lastUpdateStatus === 'InProgress') throw updateInProgress(this.arn(name));
    if (request.RevisionId !== undefined && request.RevisionId !== fn.latest.revisionId) throw preconditionFailed();
    if (request.CodeSha256 !== undefined && request.CodeSha256 !== fn.latest.codeSha256) {
      throw invalidParameter(
        `CodeSHA256 (${request.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    const newest = [...fn.versions.values()].at(-1);
    if (newest !== undefined && sameDeployment(newest, fn.latest)) return newest;
    const version = String(fn.nextVersion++);
    const published: FunctionVersionConfig = {
      ...fn.latest,
      environment: { ...fn.latest.environment },
      version,
      description: request.Description ?? fn.latest.description,
      revisionId: newRevisionId(),
      lastModified: lambdaTimestamp(new Date()),
      state: 'Pending',
      lastUpdateStatus: 'Successful',
    };
    fn.versions.set(version, published);
    this.later(fn, this.options.publishDelayMs, () => {
      const current = fn.versions.get(version);
      if (current !== undefined) fn.versions.set(version, { ...current, state: 'Active', revisionId: newRevisionId() });
    });
    return published;
  }

  listVersions(name: string, marker: string | undefined, maxItems: number | undefined) {
    const fn = this.get(name);
    const all = [{ ...fn.latest }, ...fn.versions.values()];
    const limit = Math.min(maxItems ?? 50, 50);
    if (!Number.isInteger(limit) || limit < 1) throw invalidParameter('MaxItems must be between 1 and 10000.');
    const start = marker === undefined ? 0 : Number(marker);
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid Marker.');
    const page = all.slice(start, start + limit).map((config) => this.apiConfiguration(config, true));
    const next = start + limit;
    return next < all.length ? { Versions: page, NextMarker: String(next) } : { Versions: page };
  }

  deleteFunction(name: string, qualifier: string | undefined): void {
    const fn = this.get(name);
    if (qualifier === undefined) {
      for (const timer of fn.timers) clearTimeout(timer);
      this.functions.delete(name);
      this.options.onRetire(name, '$LATEST');
      for (const version of fn.versions.keys()) this.options.onRetire(name, version);
      return;
    }
    if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    if (!/^\d+$/.test(qualifier)) throw invalidParameter('Deletion of aliases is not supported via DeleteFunction. Use DeleteAlias.');
    if (!fn.versions.has(qualifier)) throw notFound(`Function not found: ${this.arn(name, qualifier)}`);
    const referencing = [...fn.aliases.values()].filter((alias) => alias.functionVersion === qualifier).map((alias) => alias.name);
    if (referencing.length > 0) {
      throw conflict(`Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`);
    }
    fn.versions.delete(qualifier);
    this.options.onRetire(name, qualifier);
  }

  createAlias(name: string, request: CreateAliasRequest): Alias {
    const fn = this.get(name);
    const aliasName = request.Name ?? '';
    if (!/^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/.test(aliasName) || aliasName === '$LATEST') {
      throw invalidParameter(`Invalid alias name: ${aliasName}`);
    }
    if (fn.aliases.has(aliasName)) throw conflict(`Alias already exists: ${this.arn(name, aliasName)}`);
    const functionVersion = this.requireVersionForAlias(fn, request.FunctionVersion);
    const alias: Alias = { name: aliasName, functionVersion, description: request.Description ?? '', revisionId: newRevisionId() };
    fn.aliases.set(aliasName, alias);
    return alias;
  }

  getAlias(name: string, aliasName: string): Alias {
    const fn = this.get(name);
    const alias = fn.aliases.get(aliasName);
    if (alias === undefined) throw notFound(`Cannot find alias arn: ${this.arn(name, aliasName)}`);
    return alias;
  }

  updateAlias(name: string, aliasName: string, request: UpdateAliasRequest): Alias {
    const fn = this.get(name);
    const alias = this.getAlias(name, aliasName);
    if (request.RevisionId !== undefined && request.RevisionId !== alias.revisionId) throw preconditionFailed();
    const updated: Alias = {
      ...alias,
      functionVersion: request.FunctionVersion === undefined ? alias.functionVersion : this.requireVersionForAlias(fn, request.FunctionVersion),
      description: request.Description ?? alias.description,
      revisionId: newRevisionId(),
    };
    fn.aliases.set(aliasName, updated);
    return updated;
  }

  deleteAlias(name: string, aliasName: string): void {
    this.get(name).aliases.delete(aliasName);
  }

  listAliases(name: string): Alias[] {
    return [...this.get(name).aliases.values()];
  }

  apiAlias(functionName: string, alias: Alias) {
    return {
      AliasArn: this.arn(functionName, alias.name),
      Name: alias.name,
      FunctionVersion: alias.functionVersion,
      Description: alias.description,
      RevisionId: alias.revisionId,
    };
  }

  setReservedConcurrency(name: string, value: number | undefined): void {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw invalidParameter('ReservedConcurrentExecutions must be a whole number of 0 or more.');
    }
    this.get(name).reservedConcurrency = value;
  }

  /** Stops the pending state transitions, so a stopped platform leaves no timers behind. */
  close(): void {
    for (const fn of this.functions.values()) for (const timer of fn.timers) clearTimeout(timer);
  }

  private resolveQualifier(fn: LambdaFunction, qualifier: string | undefined): string {
    if (qualifier === undefined || qualifier === '$LATEST') return '$LATEST';
    if (/^\d+$/.test(qualifier)) return qualifier;
    const alias = fn.aliases.get(qualifier);
    if (alias === undefined) throw notFound(`Function not found: ${this.arn(fn.name, qualifier)}`);
    return alias.functionVersion;
  }

  private versionOf(fn: LambdaFunction, version: string): FunctionVersionConfig {
    if (version === '$LATEST') return fn.latest;
    const config = fn.versions.get(version);
    if (config === undefined) throw notFound(`Function not found: ${this.arn(fn.name, version)}`);
    return config;
  }

  private requireVersionForAlias(fn: LambdaFunction, version: string | undefined): string {
    if (version === undefined || version === '') throw invalidParameter('FunctionVersion is required.');
    if (version !== '$LATEST' && !fn.versions.has(version)) throw notFound(`Function not found: ${this.arn(fn.name, version)}`);
    return version;
  }

  /** Runs `action` after `delayMs`; an infinite (or longer than a timer holds) delay never runs it (an update stuck for good). */
  private later(fn: LambdaFunction, delayMs: number, action: () => void): void {
    // setTimeout fires at once for a delay it cannot hold: one that long is for ever too.
    if (!Number.isFinite(delayMs) || delayMs > MAX_TIMER_MS) return;
    const timer = setTimeout(() => {
      fn.timers.delete(timer);
      action();
    }, delayMs);
    fn.timers.add(timer);
  }
}
