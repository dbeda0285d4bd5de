import { AwsError, tooManyRequests } from './aws-error.js';
import type { ExecutionEnvironment, InvocationOutcome, InvocationRequest } from './environment.js';
import type { FunctionVersionConfig } from './function-config.js';
import type { FunctionRegistry } from './functions.js';
import type { EnvironmentPool } from './pool.js';

const ASYNC_RETRY_MS = 100;

/** How much the `Event` queue holds; beyond it an Event invocation is throttled, so memory stays bounded. */
export interface QueueLimits {
  /** Invocations waiting, per function. */
  maxEventsPerFunction: number;
  /** Payload bytes waiting, all functions together. */
  maxQueuedBytes: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxEventsPerFunction: 1000, maxQueuedBytes: 128 * 1024 * 1024 };

interface Queued {
  config: FunctionVersionConfig;
  request: InvocationRequest;
}

/** Runs invocations on the pool: synchronous ones now, `Event` ones from a queue as capacity frees up. */
export class Invoker {
  private readonly queue: Queued[] = [];
  private readonly waiting = new Map<string, number>();
  private queuedBytes = 0;
  private draining = false;
  private closed = false;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly pool: EnvironmentPool,
    private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS,
  ) {}

  async invoke(config: FunctionVersionConfig, request: InvocationRequest): Promise<InvocationOutcome> {
    return this.run(await this.acquire(config), request);
  }

  /** Queues an `Event` invocation; throws TooManyRequests when the queue is full. */
  enqueue(config: FunctionVersionConfig, request: InvocationRequest): void {
    this.checkRoom(config.functionName, request.payload.length);
    this.queue.push({ config, request });
    this.waiting.set(config.functionName, (this.waiting.get(config.functionName) ?? 0) + 1);
    this.queuedBytes += request.payload.length;
    void this.drain();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.waiting.clear();
    this.queuedBytes = 0;
  }

  private checkRoom(functionName: string, payloadBytes: number): void {
    const { maxEventsPerFunction, maxQueuedBytes } = this.limits;
    if ((this.waiting.get(functionName) ?? 0) >= maxEventsPerFunction) {
      const message = `The Event queue of ${functionName} is full (${maxEventsPerFunction} invocations waiting); try again once it drains.`;
      throw tooManyRequests('FunctionInvocationRateLimitExceeded', 1, message);
    }
    if (this.queuedBytes + payloadBytes > maxQueuedBytes) {
      const message = `The platform's Event queue is full (${maxQueuedBytes} bytes of payloads waiting); try again once it drains.`;
      throw tooManyRequests('CallerRateLimitExceeded', 1, message);
    }
  }

  /** Takes an invocation off the queue, and its share of the limits with it. */
  private dequeue(index: number): Queued | undefined {
    const [taken] = this.queue.splice(index, 1);
    if (taken === undefined) return undefined;
    const name = taken.config.functionName;
    this.waiting.set(name, (this.waiting.get(name) ?? 1) - 1);
    if (this.waiting.get(name) === 0) this.waiting.delete(name);
    this.queuedBytes -= taken.request.payload.length;
    return taken;
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
        this.dequeue(index);
        return true;
      }
      this.dequeue(index);
      void this.run(environment, next.request).catch(() => undefined);
      return true;
    }
    return false;
  }
}
