/**
 * Runs tasks with at most `concurrency` in flight and, optionally, their weights (CPU shares on
 * the local platform) summing to at most `capacity`. A task heavier than the capacity still runs,
 * alone. Tasks start in the order they are offered when they fit.
 */
export class WeightedPool {
  private running = 0;
  private load = 0;
  private readonly waiting: { weight: number; start: () => void }[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly capacity = Number.POSITIVE_INFINITY,
  ) {}

  async run<T>(weight: number, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.waiting.push({ weight, start });
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.running--;
      this.load -= weight;
      this.pump();
    }
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const next = this.waiting[0];
      if (next === undefined) return;
      const fits = this.running === 0 || this.load + next.weight <= this.capacity + 1e-9;
      if (!fits) return;
      this.waiting.shift();
      this.running++;
      this.load += next.weight;
      next.start();
    }
  }
}
