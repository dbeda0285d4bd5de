import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { fileSystemReason } from '../errors.js';

/** Why a file could not be read or parsed, in words for the user. */
export class FileReadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FileReadError';
  }
}

/** A file's text, without the byte order mark some editors write; a file-system failure becomes a FileReadError. */
export function readText(file: string): string {
  return fileSystem(() => stripBom(readFileSync(file, 'utf8')));
}

/** A file's JSON; what cannot be read or is not JSON becomes a FileReadError that says which. */
export function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FileReadError(`it is not valid JSON (${(error as Error).message})`);
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A text read line by line (split at \n, each line without it, as String.split would give them),
 * and read whole only when a reader asks for that. Its lines can be read more than once.
 */
export interface TextSource {
  lines(): Iterable<string>;
  text(): string;
}

export function textSource(input: string): TextSource {
  const text = stripBom(input);
  return { lines: () => linesOf(text), text: () => text };
}

/** A file as a TextSource: its lines are read a block at a time (1 MiB unless told), so the whole text is never held for them. */
export function fileSource(file: string, blockBytes = 1 << 20): TextSource {
  return { lines: () => fileLines(file, blockBytes), text: () => readText(file) };
}

function* linesOf(text: string): Generator<string> {
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    yield text.slice(start, end);
    start = end + 1;
  }
  yield text.slice(start);
}

function* fileLines(file: string, blockBytes: number): Generator<string> {
  const fd = fileSystem(() => openSync(file, 'r'));
  try {
    const buffer = Buffer.allocUnsafe(blockBytes);
    // Decodes UTF-8 as readFileSync does (bad bytes become U+FFFD), a character cut by a block's end completed by the next.
    const decoder = new StringDecoder('utf8');
    let started = false;
    /** The line the blocks so far end in, in pieces: a long line is joined once, not once a block. */
    let carried: string[] = [];
    for (;;) {
      const bytes = fileSystem(() => readSync(fd, buffer, 0, blockBytes, null));
      let block = bytes === 0 ? decoder.end() : decoder.write(buffer.subarray(0, bytes));
      if (!started && block !== '') [block, started] = [stripBom(block), true];
      const firstEnd = block.indexOf('\n');
      if (firstEnd === -1) carried.push(block);
      else {
        yield carried.join('') + block.slice(0, firstEnd);
        const lastEnd = block.lastIndexOf('\n');
        // The block's whole lines, each yielded here rather than through another generator: a million lines pass through one frame less.
        for (let start = firstEnd + 1; start <= lastEnd;) {
          const end = block.indexOf('\n', start);
          yield block.slice(start, end);
          start = end + 1;
        }
        carried = [block.slice(lastEnd + 1)];
      }
      if (bytes === 0) break;
    }
    yield carried.join('');
  } finally {
    closeSync(fd);
  }
}

/** A file-system call whose failure becomes a FileReadError, in words for the user. */
function fileSystem<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const reason = fileSystemReason(error);
    if (reason === undefined) throw error;
    throw new FileReadError(reason);
  }
}
