/** What is wrong with a measurements file: every problem names its line, and its column where it has one. */
export class MeasurementsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'MeasurementsError';
  }
}

/** As many problems as a reader takes in; the rest are counted. */
const PROBLEM_LIMIT = 20;

/** The problems met on the way through a file: all counted, the first PROBLEM_LIMIT kept for the message. */
export class Problems {
  private readonly kept: string[] = [];
  count = 0;

  add(problem: string): void {
    this.count++;
    if (this.kept.length < PROBLEM_LIMIT) this.kept.push(problem);
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.count - this.kept.length;
    throw new MeasurementsError(more > 0 ? [...this.kept, `… and ${more} more`] : this.kept);
  }
}
