/**
 * The most a log event holds: CloudWatch Logs takes events of up to 256 KB, 26 bytes of which it
 * counts for the event's own overhead; a longer line becomes several events.
 */
export const MAX_EVENT_BYTES = 256 * 1024 - 26;

/**
 * Cuts a process's output into log events, one per line, and a line longer than an event into
 * several, so a process that writes without newlines holds at most one event's worth here. The
 * runtime writes a multi-line message with `\r` in place of its newlines so it stays one line
 * here; the event gets its newlines back.
 */
export class OutputLines {
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxEventBytes = MAX_EVENT_BYTES,
  ) {}

  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = '';
    const last = lines.pop() ?? '';
    for (const line of lines) this.emitSplit(line, true);
    this.emitSplit(last, false);
  }

  /** Emits what is left after the last newline, once the output has ended. */
  flush(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  /** Emits a line in pieces of at most an event; the rest of an unfinished line waits for more. */
  private emitSplit(line: string, complete: boolean): void {
    let rest = line;
    while (Buffer.byteLength(rest) > this.maxEventBytes) {
      const cut = utf8Cut(rest, this.maxEventBytes);
      this.emit(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (complete) this.emit(rest);
    else this.partial = rest;
  }

  private emit(line: string): void {
    this.onLine(line.replaceAll('\r', '\n'));
  }
}

/** The longest prefix of `text` (in UTF-16 units) whose UTF-8 form fits in `maxBytes`, never splitting a character. */
export function utf8Cut(text: string, maxBytes: number): number {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text.length;
  let end = maxBytes;
  // A continuation byte (10xxxxxx) belongs to the character before it: cut before that character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  // A limit smaller than the first character still moves on by that character.
  if (end === 0) return (text.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
  return bytes.subarray(0, end).toString().length;
}
