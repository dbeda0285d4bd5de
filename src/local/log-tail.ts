/** X-Amz-Log-Result carries the last 4 KB of an invocation's log. */
export const LOG_RESULT_BYTES = 4096;

/**
 * The end of an invocation's log: its last lines, at least `minBytes` of them when there are that
 * many, newline terminated. Older lines are let go, so a function that logs a lot holds little here.
 */
export class LogTail {
  private readonly lines: string[] = [];
  private bytes = 0;

  constructor(private readonly minBytes = LOG_RESULT_BYTES) {}

  push(line: string): void {
    const text = `${line}\n`;
    this.lines.push(text);
    this.bytes += Buffer.byteLength(text);
    for (let first = this.lines[0]; first !== undefined && this.lines.length > 1; first = this.lines[0]) {
      const firstBytes = Buffer.byteLength(first);
      if (this.bytes - firstBytes < this.minBytes) break;
      this.lines.shift();
      this.bytes -= firstBytes;
    }
  }

  text(): string {
    return this.lines.join('');
  }
}
