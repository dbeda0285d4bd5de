import { type CellKey, cellId, type Sample, type SampleStatus } from '../result/types.js';

/**
 * The samples of each cell as the analysis reads them: a cell's key, and its samples as columns of
 * numbers. A million samples as columns take about 50 MB, as objects about 290 MB; `tune analyze`
 * of a big file fills the columns as it reads, and never holds the samples.
 */

export const STATUS_CODES: readonly SampleStatus[] = ['success', 'error', 'timeout', 'failure'];
const STATUS_CODE = new Map(STATUS_CODES.map((status, code) => [status, code]));

/** Bits of SampleColumns.flags. */
export const COLD = 1;
export const WARMUP = 2;
export const COLD_PROBE = 4;

/** One cell's samples, in the order they were taken: what the analysis reads of each, a column a field. */
export interface SampleColumns {
  count: number;
  durationMs: Float64Array;
  billedDurationMs: Float64Array;
  maxMemoryUsedMb: Float64Array;
  /** NaN where a sample has none (a measured one is always finite). */
  initDurationMs: Float64Array;
  /** The index of the status in STATUS_CODES. */
  status: Uint8Array;
  /** COLD, WARMUP and COLD_PROBE, as the sample says. */
  flags: Uint8Array;
  /** The index of the error type in errorTypes; -1 where a sample has none. */
  errorType: Int32Array;
  errorTypes: readonly string[];
  /** Each timing any sample has, NaN where a sample has none. */
  timings: ReadonlyMap<string, Float64Array>;
}

/** A cell and its samples. */
export interface CellSamples {
  readonly key: CellKey;
  readonly id: string;
  /** Whether any sample is one of a run's --cold samples. */
  readonly coldProbes: boolean;
  columns(): SampleColumns;
}

/** The cells samples fall in, in the order their first samples came, and how many samples there were. */
export interface SampleCells {
  cells: ReadonlyMap<string, CellSamples>;
  sampleCount: number;
}

/** Finds a sample's cell: the cell of the sample before it when it is the same (samples come cell by cell), else by its id. */
export class CellFinder<C> {
  private readonly cells = new Map<string, C>();
  private last: { sample: Sample; cell: C } | undefined;

  constructor(private readonly create: (key: CellKey, id: string) => C) {}

  cellOf(sample: Sample): C {
    const last = this.last;
    if (last?.sample.params === sample.params && last.sample.memoryMb === sample.memoryMb && last.sample.function === sample.function) return last.cell;
    const id = cellId(sample);
    let cell = this.cells.get(id);
    if (cell === undefined) this.cells.set(id, (cell = this.create({ function: sample.function, memoryMb: sample.memoryMb, params: sample.params }, id)));
    this.last = { sample, cell };
    return cell;
  }

  all(): ReadonlyMap<string, C> {
    return this.cells;
  }
}

/** Samples held as objects, grouped by cell; each cell's columns are made when the analysis asks for them. */
export function cellsOfSamples(samples: readonly Sample[]): SampleCells {
  const finder = new CellFinder<{ key: CellKey; id: string; samples: Sample[] }>((key, id) => ({ key, id, samples: [] }));
  for (const sample of samples) finder.cellOf(sample).samples.push(sample);
  const cells = new Map<string, CellSamples>();
  for (const [id, cell] of finder.all()) {
    cells.set(id, {
      key: cell.key,
      id,
      coldProbes: cell.samples.some((s) => s.coldProbe === true),
      columns: () => {
        const columns = new ColumnBuilder(cell.key, id, cell.samples.length);
        for (const sample of cell.samples) columns.add(sample);
        return columns.columns();
      },
    });
  }
  return { cells, sampleCount: samples.length };
}

/** Samples read one at a time into their cells' columns, none of them kept: a sink for parse/measurements.ts. */
export class CellColumns {
  /** The samples it is given are dropped once their fields are in the columns. */
  readonly keeps = false;
  private readonly finder = new CellFinder((key, id) => new ColumnBuilder(key, id));
  private count = 0;

  add(sample: Sample): void {
    this.finder.cellOf(sample).add(sample);
    this.count++;
  }

  end(): SampleCells {
    return { cells: this.finder.all(), sampleCount: this.count };
  }
}

const FIRST_CAPACITY = 64;

/** One cell's columns, grown as samples come (doubling, so each sample is copied about once on the way). */
export class ColumnBuilder implements CellSamples {
  coldProbes = false;
  private count = 0;
  private durationMs: Float64Array;
  private billedDurationMs: Float64Array;
  private maxMemoryUsedMb: Float64Array;
  private initDurationMs: Float64Array;
  private status: Uint8Array;
  private flags: Uint8Array;
  private errorType: Int32Array;
  private readonly errorTypes: string[] = [];
  private readonly errorTypeIndex = new Map<string, number>();
  private readonly timings = new Map<string, Float64Array>();

  constructor(
    readonly key: CellKey,
    readonly id: string,
    capacity = FIRST_CAPACITY,
  ) {
    this.durationMs = new Float64Array(capacity);
    this.billedDurationMs = new Float64Array(capacity);
    this.maxMemoryUsedMb = new Float64Array(capacity);
    this.initDurationMs = new Float64Array(capacity);
    this.status = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.errorType = new Int32Array(capacity);
  }

  add(sample: Sample): void {
    if (this.count === this.durationMs.length) this.grow();
    const i = this.count++;
    this.durationMs[i] = sample.durationMs;
    this.billedDurationMs[i] = sample.billedDurationMs;
    this.maxMemoryUsedMb[i] = sample.maxMemoryUsedMb;
    this.initDurationMs[i] = sample.initDurationMs ?? Number.NaN;
    this.status[i] = STATUS_CODE.get(sample.status) ?? 0;
    this.flags[i] = (sample.cold ? COLD : 0) | (sample.warmup ? WARMUP : 0) | (sample.coldProbe === true ? COLD_PROBE : 0);
    this.errorType[i] = sample.errorType === undefined ? -1 : this.errorTypeCode(sample.errorType);
    if (sample.coldProbe === true) this.coldProbes = true;
    for (const name in sample.timings) this.timing(name)[i] = sample.timings[name] ?? Number.NaN;
  }

  columns(): SampleColumns {
    const n = this.count;
    const timings = new Map<string, Float64Array>();
    for (const [name, values] of this.timings) timings.set(name, values.subarray(0, n));
    return {
      count: n,
      durationMs: this.durationMs.subarray(0, n),
      billedDurationMs: this.billedDurationMs.subarray(0, n),
      maxMemoryUsedMb: this.maxMemoryUsedMb.subarray(0, n),
      initDurationMs: this.initDurationMs.subarray(0, n),
      status: this.status.subarray(0, n),
      flags: this.flags.subarray(0, n),
      errorType: this.errorType.subarray(0, n),
      errorTypes: this.errorTypes,
      timings,
    };
  }

  private errorTypeCode(errorType: string): number {
    let code = this.errorTypeIndex.get(errorType);
    if (code === undefined) {
      code = this.errorTypes.push(errorType) - 1;
      this.errorTypeIndex.set(errorType, code);
    }
    return code;
  }

  /** A timing's column, made (NaN for the samples before, which had none) the first time a sample has it. */
  private timing(name: string): Float64Array {
    let values = this.timings.get(name);
    if (values === undefined) this.timings.set(name, (values = new Float64Array(this.durationMs.length).fill(Number.NaN)));
    return values;
  }

  private grow(): void {
    const capacity = Math.max(FIRST_CAPACITY, this.durationMs.length * 2);
    this.durationMs = grown(this.durationMs, new Float64Array(capacity));
    this.billedDurationMs = grown(this.billedDurationMs, new Float64Array(capacity));
    this.maxMemoryUsedMb = grown(this.maxMemoryUsedMb, new Float64Array(capacity));
    this.initDurationMs = grown(this.initDurationMs, new Float64Array(capacity));
    this.status = grown(this.status, new Uint8Array(capacity));
    this.flags = grown(this.flags, new Uint8Array(capacity));
    this.errorType = grown(this.errorType, new Int32Array(capacity));
    for (const [name, values] of this.timings) this.timings.set(name, grown(values, new Float64Array(capacity).fill(Number.NaN)));
  }
}

function grown<A extends Float64Array | Uint8Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
