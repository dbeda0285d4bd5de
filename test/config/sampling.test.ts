import { describe, expect, it } from 'vitest';
import { type RunFlags, tuneConfigFromFlags } from '../../src/config/tune-config.js';

const flags = (overrides: Partial<RunFlags> = {}): RunFlags => ({
  function: 'f',
  memory: '128,256',
  param: [],
  payload: [],
  chunkKey: 'chunkSizeMb',
  invocations: 10,
  warmup: 1,
  concurrency: 4,
  timing: [],
  strategy: 'balanced',
  weight: 0.5,
  percentile: 95,
  billInit: true,
  ...overrides,
});

const config = (overrides: Partial<RunFlags> = {}) => tuneConfigFromFlags(flags(overrides), process.cwd());
const refusal = (overrides: Partial<RunFlags>) => {
  try {
    config(overrides);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('sampling flags', () => {
  it('samples adaptively by default, to ±5%, at least 3 invocations a cell', () => {
    expect(config()).toMatchObject({ sampling: 'adaptive', precision: 0.05, minInvocations: 3 });
    expect(config({ sampling: 'fixed', precision: '2.5%', minInvocations: '4' })).toMatchObject({ sampling: 'fixed', precision: 0.025, minInvocations: 4 });
    expect(config({ precision: '10' }).precision).toBe(0.1);
  });

  it('takes --invocations as the least too when it is below the default least', () => {
    expect(config({ invocations: 2 }).minInvocations).toBe(2);
  });

  it('refuses what it cannot sample by, saying how to write it', () => {
    expect(refusal({ sampling: 'smart' })).toMatch(/--sampling.*"smart" is not a way to sample/s);
    expect(refusal({ precision: '0%' })).toMatch(/--precision must be a percentage from 0.1% to 50%/);
    expect(refusal({ precision: 'five' })).toMatch(/--precision takes a decimal number/);
    expect(refusal({ minInvocations: '11' })).toMatch(/--min-invocations is 11, more than --invocations 10/);
    expect(refusal({ minInvocations: '0' })).toMatch(/--min-invocations must be a whole number from 1/);
  });
});

describe('memory ranges', () => {
  it('reads FROM..TO and FROM..TO:STEP as every size in the range', () => {
    const ranged = config({ memory: '128..3008' });
    expect(ranged.memoryRange).toEqual({ fromMb: 128, toMb: 3008, stepMb: 64 });
    expect(ranged.memoryMb).toHaveLength(46);
    expect(config({ memory: '128..1024:128' }).memoryMb).toEqual([128, 256, 384, 512, 640, 768, 896, 1024]);
    const listed = config({ memory: '512,128' });
    expect(listed.memoryMb).toEqual([128, 512]);
    expect(listed.memoryRange).toBeUndefined();
  });

  it('refuses a range Lambda would not take', () => {
    expect(refusal({ memory: '64..1024' })).toMatch(/outside 128..10240/);
    expect(refusal({ memory: '1024..512' })).toMatch(/backwards/);
    expect(refusal({ memory: '128..1024:0' })).toMatch(/step/);
    expect(refusal({ memory: '128..1024:x' })).toMatch(/not a memory size/);
  });
});
