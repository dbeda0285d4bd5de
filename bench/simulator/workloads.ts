/**
 * Synthetic functions whose truth is known: each gives the median duration of an invocation at a
 * memory size and chunk size (or that it runs out of memory), and draws noise around it. Lambda gives
 * CPU in proportion to memory, one vCPU at 1,769 MB; S3 reads top out near 90 MB/s from 640 MB
 * (/work/shared/AWS-FACTS.md). Each reads a 32 MB object in chunks, so the chunk size always costs
 * requests; what else it does is each workload's own.
 */
import { lognormal } from './random.js';

export interface Workload {
  name: string;
  /** One line of truth, for the bench's output. */
  truth: string;
  /** The median duration of a warm invocation, or 'out-of-memory' when it does not fit. */
  medianMs: (memoryMb: number, chunkMb: number) => number | 'out-of-memory';
  maxMemoryUsedMb: (memoryMb: number, chunkMb: number) => number;
  /** One draw of the noise: a multiplier of the median. */
  noise: (random: () => number) => number;
}

const VCPU_MB = 1769;
const OBJECT_MB = 32;
/** Memory a chunked reader holds: two chunks in flight and the runtime's own. */
const heldMb = (chunkMb: number, baseMb: number) => baseMb + 2 * chunkMb;
const cpuMs = (msAtOneVcpu: number, memoryMb: number) => (msAtOneVcpu * VCPU_MB) / Math.min(memoryMb, VCPU_MB);
const requestsMs = (chunkMb: number, msEach: number) => (OBJECT_MB / chunkMb) * msEach;
/** Reading at 90 MB/s from 640 MB up, in proportion to memory below. */
const transferMs = (memoryMb: number) => (OBJECT_MB / (90 * (Math.min(memoryMb, 640) / 640))) * 1000;

function fits(memoryMb: number, chunkMb: number, baseMb: number, durationMs: number): number | 'out-of-memory' {
  return heldMb(chunkMb, baseMb) > memoryMb ? 'out-of-memory' : durationMs;
}

/** Hashing dominates: faster with memory up to one vCPU, so cost barely moves below it. */
export const cpuBound: Workload = {
  name: 'cpu-bound',
  truth: '20 ms + 4 ms a request + 320 ms of CPU at one vCPU; lognormal noise, 3%',
  medianMs: (m, c) => fits(m, c, 60, 20 + requestsMs(c, 4) + cpuMs(320, m)),
  maxMemoryUsedMb: (m, c) => Math.min(m, heldMb(c, 60)),
  noise: (random) => lognormal(random, 0.03),
};

/** The network dominates: no faster past 640 MB, so memory beyond it only costs. */
export const ioBound: Workload = {
  name: 'io-bound',
  truth: '20 ms + 20 ms a request + 32 MB at up to 90 MB/s (flat from 640 MB) + 60 ms of CPU; lognormal noise, 5%',
  medianMs: (m, c) => fits(m, c, 60, 20 + requestsMs(c, 20) + transferMs(m) + cpuMs(60, m)),
  maxMemoryUsedMb: (m, c) => Math.min(m, heldMb(c, 60)),
  noise: (random) => lognormal(random, 0.05),
};

/** Needs 540 MB of its own: every size below fails with Runtime.OutOfMemory. */
export const memoryHungry: Workload = {
  name: 'memory-hungry',
  truth: 'out of memory below 540 MB + chunks; above, 30 ms + 4 ms a request + 200 ms of CPU; lognormal noise, 3%',
  medianMs: (m, c) => fits(m, c, 540, 30 + requestsMs(c, 4) + cpuMs(200, m)),
  maxMemoryUsedMb: (m, c) => Math.min(m, heldMb(c, 540)),
  noise: (random) => lognormal(random, 0.03),
};

/** As io-bound, with pauses: 8% of invocations take 1.5× to 10× as long (a Pareto tail). */
export const heavyTail: Workload = {
  name: 'heavy-tail',
  truth: 'as io-bound, and 8% of invocations 1.5× to 10× as long (Pareto, α 1.5); lognormal noise, 3%',
  medianMs: ioBound.medianMs,
  maxMemoryUsedMb: ioBound.maxMemoryUsedMb,
  noise: (random) => {
    const base = lognormal(random, 0.03);
    return random() < 0.08 ? base * Math.min(10, 1.5 / Math.pow(1 - random(), 1 / 1.5)) : base;
  },
};

/**
 * The hasher: requests cost 25 ms each, and a large chunk makes the runtime collect garbage the more
 * the less memory it has, so 20 MB chunks beat 10 and 50 (the interior optimum DESIGN.md describes).
 */
export const chunkOptimum: Workload = {
  name: 'chunk-optimum',
  truth: '20 ms + 25 ms a request + 32 MB at up to 90 MB/s + 320 ms of CPU + a GC pause of 30 ms × (chunk/20)² × 1024/memory; 4%',
  medianMs: (m, c) => fits(m, c, 70, 20 + requestsMs(c, 25) + transferMs(m) + cpuMs(320, m) + 30 * (c / 20) ** 2 * (1024 / Math.min(m, 1024))),
  maxMemoryUsedMb: (m, c) => Math.min(m, heldMb(c, 70)),
  noise: (random) => lognormal(random, 0.04),
};

export const WORKLOADS: readonly Workload[] = [cpuBound, ioBound, memoryHungry, heavyTail, chunkOptimum];
