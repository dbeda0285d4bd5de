import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { OutputLines } from './output-lines.js';

/** How much of stderr is kept to explain a crash. */
const STDERR_TAIL_CHARS = 4096;

export interface RuntimeProcessOptions {
  bootstrapPath: string;
  memoryMb: number;
  cwd: string;
  env: Record<string, string>;
  /** One log event's worth of output, from stdout or stderr. */
  onLine: (line: string) => void;
  /** The process ended; its output has been passed on. */
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** The process could not be started; there will be no exit. */
  onSpawnError: (error: Error) => void;
}

/**
 * The process behind an execution environment: a runtime bootstrap in its own process group, so
 * whatever the function starts is frozen, thawed and killed with it.
 */
export class RuntimeProcess {
  readonly exited: Promise<void>;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private stderrTailText = '';
  private gone = false;

  constructor(options: RuntimeProcessOptions) {
    this.child = spawn(process.execPath, [...v8MemoryFlags(options.memoryMb), options.bootstrapPath], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => {
        resolve();
      });
      this.child.once('error', () => {
        resolve();
      });
    });
    this.forwardOutput(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderrTail(): string {
    return this.stderrTailText;
  }

  /** Lambda freezes an environment between invocations; so does the platform, so nothing runs unmetered. */
  freeze(): void {
    if (!this.gone) this.signalGroup('SIGSTOP');
  }

  thaw(): void {
    if (!this.gone) this.signalGroup('SIGCONT');
  }

  /** Kills the whole group, also when the runtime itself has exited and left processes behind. */
  kill(): void {
    this.gone = true;
    this.signalGroup('SIGKILL');
  }

  private forwardOutput(options: RuntimeProcessOptions): void {
    const stdout = new OutputLines(options.onLine);
    const stderr = new OutputLines(options.onLine);
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout.push(text);
    });
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTailText = (this.stderrTailText + text).slice(-STDERR_TAIL_CHARS);
      stderr.push(text);
    });
    this.child.once('exit', (code, signal) => {
      this.gone = true;
      stdout.flush();
      stderr.flush();
      options.onExit(code, signal);
    });
    this.child.once('error', (error) => {
      this.gone = true;
      options.onSpawnError(error);
    });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Gone already: its exit is handled on its own.
    }
  }
}

/**
 * V8's heap sized to the function's memory the way Lambda's Node.js runtime sizes it: a tenth for
 * the young generation (half of that per semi-space), the rest for the old one. Without it V8
 * collects lazily, as if it had the whole host, and a small function runs out of memory early.
 */
export function v8MemoryFlags(memoryMb: number): string[] {
  const newSpaceMb = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpaceMb / 2)}`, `--max-old-space-size=${memoryMb - newSpaceMb}`];
}
