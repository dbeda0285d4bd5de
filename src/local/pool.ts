import { tooManyRequests } from './aws-error.js';
import type { ExecutionEnvironment } from './environment.js';
import type { FunctionVersionConfig } from './function-config.js';

export interface PoolOptions {
  create: (config: FunctionVersionConfig) => ExecutionEnvironment;
  /** Environments alive at once across all functions (the platform's account concurrency). */
  maxEnvironments: number;
  /** Idle environments older than this are shut down, as Lambda reclaims unused ones. */
  idleTimeoutMs: number;
}

/**
 * Execution environments by function version: an idle one is reused (a warm start), none idle
 * means a new one (a cold start). Each takes one invocation at a time.
 */
export class EnvironmentPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly retiring = new Set<ExecutionEnvironment>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly options: PoolOptions) {
    this.reaper = setInterval(
      () => {
        this.reapIdle();
      },
      Math.min(options.idleTimeoutMs, 30_000),
    );
    this.reaper.unref();
  }

  /** An environment ready for one invocation, marked busy; throws TooManyRequests past the caps. */
  async acquire(config: FunctionVersionConfig, reservedConcurrency: number | undefined): Promise<{ environment: ExecutionEnvironment; cold: boolean }> {
    if (reservedConcurrency !== undefined && this.inFlight(config.functionName) >= reservedConcurrency) {
      throw tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    const warm = this.findIdle(config);
    if (warm !== undefined) {
      warm.claim();
      return { environment: warm, cold: false };
    }
    if (this.environments.size >= this.options.maxEnvironments && !this.evictOneIdle()) {
      throw tooManyRequests('ConcurrentInvocationLimitExceeded');
    }
    const environment = this.options.create(config);
    this.environments.add(environment);
    try {
      await environment.start();
    } catch (error) {
      void this.remove(environment);
      throw error;
    }
    // One whose init failed stays dead: its invocation reports the failure.
    environment.claim();
    return { environment, cold: true };
  }

  /** Hands an environment back after its invocation; dead or retired ones are shut down. */
  release(environment: ExecutionEnvironment): void {
    if (environment.state === 'dead' || this.retiring.has(environment)) void this.remove(environment);
  }

  /** Shuts down a version's environments: idle ones now, busy ones when their invocation ends. */
  retire(functionName: string, version: string): void {
    for (const environment of this.environments) {
      if (environment.config.functionName !== functionName || environment.config.version !== version) continue;
      if (environment.state === 'idle' || environment.state === 'dead') void this.remove(environment);
      else this.retiring.add(environment);
    }
  }

  count(functionName?: string): number {
    return [...this.environments].filter((e) => functionName === undefined || e.config.functionName === functionName).length;
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.environments].map((environment) => this.remove(environment)));
  }

  private findIdle(config: FunctionVersionConfig): ExecutionEnvironment | undefined {
    let best: ExecutionEnvironment | undefined;
    for (const environment of this.environments) {
      const c = environment.config;
      if (environment.state !== 'idle' || this.retiring.has(environment)) continue;
      if (c.functionName !== config.functionName || c.version !== config.version || c.revisionId !== config.revisionId) continue;
      // The most recently used first, as Lambda keeps a warm environment warm.
      if (best === undefined || environment.lastUsedAt > best.lastUsedAt) best = environment;
    }
    return best;
  }

  private inFlight(functionName: string): number {
    let count = 0;
    for (const environment of this.environments) {
      if (environment.config.functionName === functionName && (environment.state === 'busy' || environment.state === 'initializing')) count++;
    }
    return count;
  }

  /** An environment whose process ended between invocations goes at once. */
  died(environment: ExecutionEnvironment): void {
    if (this.environments.has(environment) && environment.state === 'dead') void this.remove(environment);
  }

  private evictOneIdle(): boolean {
    let oldest: ExecutionEnvironment | undefined;
    for (const environment of this.environments) {
      if (environment.state === 'idle' && (oldest === undefined || environment.lastUsedAt < oldest.lastUsedAt)) oldest = environment;
    }
    if (oldest === undefined) return false;
    void this.remove(oldest);
    return true;
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.options.idleTimeoutMs;
    for (const environment of this.environments) {
      if (environment.state === 'dead' || (environment.state === 'idle' && environment.lastUsedAt < cutoff)) void this.remove(environment);
    }
  }

  private remove(environment: ExecutionEnvironment): Promise<void> {
    this.environments.delete(environment);
    this.retiring.delete(environment);
    return environment.destroy();
  }
}
