import { createRequire } from 'node:module';

// simple-statistics' CommonJS build is one file: it loads in about half the time of its ES module
// build, which every command that reads a result pays at start-up.
const statistics = createRequire(import.meta.url)('simple-statistics') as typeof import('simple-statistics');

/** A set of numbers as these functions read it: by index and length only, so a Float64Array serves as well as an array. */
type Numbers = ArrayLike<number>;

export const errorFunction = statistics.errorFunction;
export const mean = statistics.mean as (x: Numbers) => number;
export const medianAbsoluteDeviation = statistics.medianAbsoluteDeviation as (x: Numbers) => number;
export const quantileSorted = statistics.quantileSorted as (x: Numbers, p: number) => number;
export const sampleStandardDeviation = statistics.sampleStandardDeviation as (x: Numbers) => number;
