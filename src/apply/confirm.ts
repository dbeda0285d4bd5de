import { createInterface } from 'node:readline';

/**
 * Asks a yes/no question on the terminal: the question on stderr (stdout may be a result piped
 * elsewhere), the answer a line of stdin. Only "y" or "yes" (any case) is yes; anything else, and
 * the end of input, is no.
 */
export function confirm(question: string, io: { stdin: NodeJS.ReadableStream; stderr: { write(text: string): unknown } }): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      // Before closing: closing emits 'close' at once, which would answer no first.
      resolve(/^y(es)?$/i.test(line.trim()));
      lines.close();
    });
    lines.once('close', () => {
      if (!answered) io.stderr.write('\n');
      resolve(false);
    });
  });
}
