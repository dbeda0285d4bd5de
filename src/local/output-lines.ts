/**
 * Cuts a process's output into log events, one per line. The runtime writes a multi-line message
 * with `\r` in place of its newlines so it stays one line here; the event gets its newlines back.
 */
export class OutputLines {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  /** Emits what is left after the last newline, once the output has ended. */
  flush(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private emit(line: string): void {
    this.onLine(line.replaceAll('\r', '\n'));
  }
}
