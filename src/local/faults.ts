import type { z } from 'zod';
import { type FaultSettings, faultsSchema } from '../config/local-config.js';
import { AwsError, tooManyRequests } from './aws-error.js';
import type { RequestFaults } from './platform-http.js';
import { seededRandom } from './seeded-random.js';

export type { FaultSettings } from '../config/local-config.js';
/** Fault settings as a caller writes them: every field may be left out. */
export type FaultInput = z.input<typeof faultsSchema>;

/** How many invocations' "lost logs" verdicts are remembered (their lines come within seconds). */
const REMEMBERED_VERDICTS = 10_000;

/**
 * Made-up trouble the platform can be asked to cause, so the engine's tests meet what AWS does on
 * a bad day: throttles and server errors, latency, a log tail without its REPORT, logs that come
 * late or never, an update that stays InProgress. Every chance is drawn from one seeded sequence.
 */
export class Faults implements RequestFaults {
  private readonly settings: FaultSettings;
  private readonly random: () => number;
  private readonly lostLogs = new Map<string, boolean>();

  constructor(input: FaultInput = {}) {
    this.settings = faultsSchema.parse(input);
    this.random = seededRandom(this.settings.seed);
  }

  async delay(): Promise<void> {
    const ms = this.latencyMs();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  lambdaFault(operation: 'invoke' | 'control'): AwsError | undefined {
    const throttle = this.settings.throttle[operation];
    const serverError = this.settings.serverError[operation];
    if (throttle + serverError === 0) return undefined;
    const draw = this.random();
    if (draw < throttle) {
      return tooManyRequests(operation === 'invoke' ? 'ConcurrentInvocationLimitExceeded' : 'CallerRateLimitExceeded', this.settings.retryAfterSeconds);
    }
    if (draw < throttle + serverError) return new AwsError('ServiceException', 500, 'An internal error occurred (a fault injected by the local platform).');
    return undefined;
  }

  /** Whether this Invoke's LogResult goes without its REPORT line. */
  truncatesTail(): boolean {
    return this.chance(this.settings.logs.truncatedTail);
  }

  /** Whether this invocation's lines never reach CloudWatch Logs; the same answer for every line of it. */
  losesLogsOf(requestId: string): boolean {
    const known = this.lostLogs.get(requestId);
    if (known !== undefined) return known;
    const lost = this.chance(this.settings.logs.lost);
    this.lostLogs.set(requestId, lost);
    if (this.lostLogs.size > REMEMBERED_VERDICTS) this.lostLogs.delete(this.lostLogs.keys().next().value ?? '');
    return lost;
  }

  /** How long CloudWatch Logs takes to show a line. */
  get logDelayMs(): number {
    return this.settings.logs.delayMs;
  }

  /** How long an update stays InProgress (Infinity: for ever), when the faults say. */
  get updateInProgressMs(): number | undefined {
    const setting = this.settings.updateInProgressMs;
    return setting === 'forever' ? Number.POSITIVE_INFINITY : setting;
  }

  private latencyMs(): number {
    const latency = this.settings.latencyMs;
    if (typeof latency === 'number') return latency;
    const [least, most] = latency;
    return least + this.random() * (most - least);
  }

  /** A draw only when there is a chance, so a fault that is off leaves the others' sequence alone. */
  private chance(probability: number): boolean {
    return probability > 0 && this.random() < probability;
  }
}
