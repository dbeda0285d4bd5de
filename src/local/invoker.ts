import { AwsError } from './aws-error.js';
import type { ExecutionEnvironment, InvocationOutcome, InvocationRequest } from './environment.js';
import type { FunctionVersionConfig } from './function-config.js';
import type { FunctionRegistry } from './functions.js';
import type { EnvironmentPool } from './pool.js';

const ASYNC_RETRY_MS = 100;

/** Runs invocations on the pool: synchronous ones now, `Event` ones from a queue as capacity frees up. */
export class Invoker {
  private readonly queue: { config: FunctionVersionConfig; request: InvocationRequest }[] = [];
  private draining = false;
  private closed = false;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly pool: EnvironmentPool,
  ) {}

  async invoke(config: FunctionVersionConfig, request: InvocationRequest): Promise<InvocationOutcome> {
    return this.run(await this.acquire(config), request);
  }

  enqueue(config: FunctionVersionConfig, request: InvocationRequest): void {
    this.queue.push({ config, request });
    void this.drain();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private acquire(config: FunctionVersionConfig): Promise<ExecutionEnvironment> {
    const reserved = this.registry.get(config.functionName).reservedConcurrency;
    return this.pool.acquire(config, reserved).then(({ environment }) => environment);
  }

  private async run(environment: ExecutionEnvironment, request: InvocationRequest): Promise<InvocationOutcome> {
    try {
      return await environment.invoke(request);
    } finally {
      this.pool.release(environment);
    }
  }

  /**
   * Starts queued invocations in order; a throttled one stays queued while those behind it (of
   * other functions) go ahead, and the queue tries again shortly, as Lambda's async queue does.
   */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    while (!this.closed && this.queue.length > 0) {
      if (!(await this.startOne())) await new Promise((resolve) => setTimeout(resolve, ASYNC_RETRY_MS));
    }
    this.draining = false;
  }

  /** Takes the first queued invocation that is not throttled off the queue and starts it; false when all were throttled. */
  private async startOne(): Promise<boolean> {
    for (const [index, next] of this.queue.entries()) {
      let environment: ExecutionEnvironment;
      try {
        environment = await this.acquire(next.config);
      } catch (error) {
        if (error instanceof AwsError && error.statusCode === 429) continue;
        // It cannot run at all (its function is gone, say): dropped, as nobody waits for its answer.
        this.queue.splice(index, 1);
        return true;
      }
      this.queue.splice(index, 1);
      void this.run(environment, next.request).catch(() => undefined);
      return true;
    }
    return false;
  }
}
