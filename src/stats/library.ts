import { createRequire } from 'node:module';

// simple-statistics' CommonJS build is one file: it loads in about half the time of its ES module
// build, which every command that reads a result pays at start-up.
const statistics = createRequire(import.meta.url)('simple-statistics') as typeof import('simple-statistics');

export const { errorFunction, mean, medianAbsoluteDeviation, quantileSorted, sampleStandardDeviation } = statistics;
