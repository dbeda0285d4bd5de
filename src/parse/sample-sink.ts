import type { Sample } from '../result/types.js';

/**
 * Where samples go as they are read, one at a time. A reading that has to start again (CSV that
 * only csv-parse reading the whole text reads exactly, csv-records.ts) starts a new sink.
 */
export interface SampleSink<T> {
  /** Whether it keeps the samples it is given; then what a sample holds is copied out of the file's blocks (Keeper). */
  readonly keeps: boolean;
  add(sample: Sample): void;
  end(): T;
}

/** The samples, kept in a list. */
export class SampleList implements SampleSink<Sample[]> {
  readonly keeps = true;
  private readonly samples: Sample[] = [];

  add(sample: Sample): void {
    this.samples.push(sample);
  }

  end(): Sample[] {
    return this.samples;
  }
}
