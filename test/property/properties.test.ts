import { describe, expect, it } from 'vitest';
import { SEED, totalCases } from './check.js';
import { configProperties } from './config.js';
import { measurementProperties } from './measurements.js';
import { reportProperties } from './report.js';
import { ruleProperties } from './rules.js';
import { timingProperties } from './timings.js';

/**
 * Property tests of everything that reads what users and Lambda hand over: REPORT and log lines,
 * timings, measurements files, gate rules and the config file. One file, so one count of cases.
 */
reportProperties();
timingProperties();
measurementProperties();
ruleProperties();
configProperties();

describe('the property run', () => {
  it('checked at least 100,000 generated cases', () => {
    console.log(`fast-check: ${totalCases().toLocaleString('en-US')} generated cases passed (seed ${SEED})`);
    expect(totalCases()).toBeGreaterThanOrEqual(100_000);
  });
});
