import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ProcessGroup } from './limits/process-group.js';
import { OutputLines } from './output-lines.js';

/** How much of stderr is kept to explain a crash. */
const STDERR_TAIL_CHARS = 4096;
/** How long after the process ends its pipes may stay open (held by a process that left its group) before they are cut. */
const OUTPUT_GRACE_MS = 1000;

export interface RuntimeProcessOptions {
  /** The runtime's program (an absolute path) and its arguments. */
  executable: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** One log event's worth of output, from stdout or stderr. */
  onLine: (line: string) => void;
  /** The process ended and all of its output has been passed on. */
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** The process could not be started; there will be no exit. */
  onSpawnError: (error: Error) => void;
}

/** Every runtime process still alive, so that none outlives the program that started it. */
const alive = new Set<RuntimeProcess>();

/**
 * Runs when this program exits, however it exits short of SIGKILL (the end of its work, a second
 * Ctrl-C, an uncaught error): a function's processes live apart from ours (in their own group, or
 * a session of their own), and frozen ones would otherwise stay frozen for ever.
 */
function killAllOnExit(): void {
  for (const runtime of alive) runtime.kill();
}

/**
 * The process behind an execution environment: a runtime bootstrap in its own process group, so
 * whatever the function starts is frozen, thawed and killed with it, and so are the processes it
 * starts in a group or session of their own (see ProcessGroup).
 */
export class RuntimeProcess {
  /** Resolves once the process has ended and all of its output has been passed on. */
  readonly exited: Promise<void>;
  /** The runtime and what it started; undefined when it could not start. */
  readonly group: ProcessGroup | undefined;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly stdout: OutputLines;
  private readonly stderr: OutputLines;
  private stderrTailText = '';
  private gone = false;

  constructor(options: RuntimeProcessOptions) {
    this.child = spawn(options.executable, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.group = this.child.pid === undefined ? undefined : new ProcessGroup(this.child.pid);
    this.stdout = new OutputLines(options.onLine);
    this.stderr = new OutputLines(options.onLine);
    this.forwardOutput();
    this.exited = this.watchEnd(options);
    if (alive.size === 0) process.once('exit', killAllOnExit);
    alive.add(this);
    void this.exited.then(() => {
      alive.delete(this);
      if (alive.size === 0) process.off('exit', killAllOnExit);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderrTail(): string {
    return this.stderrTailText;
  }

  /** Lambda freezes an environment between invocations; so does the platform, so nothing runs unmetered. */
  freeze(): void {
    if (!this.gone) this.group?.stop();
  }

  thaw(): void {
    if (!this.gone) this.group?.signal('SIGCONT');
  }

  /** Kills the runtime and everything it started, also when the runtime itself has exited and left processes behind. */
  kill(): void {
    this.gone = true;
    this.group?.kill();
  }

  /**
   * Passes on what the process wrote before now, a last line without its newline too. Output written
   * before a request reached us was in its pipe by then, and the event loop reads every ready pipe in
   * the poll phase that handles the request: one turn of the loop later it has all been read.
   */
  async drainOutput(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.stdout.flush();
    this.stderr.flush();
  }

  private forwardOutput(): void {
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      this.stdout.push(text);
    });
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTailText = (this.stderrTailText + text).slice(-STDERR_TAIL_CHARS);
      this.stderr.push(text);
    });
  }

  /** The process ends at `close`, once its pipes have given all they hold; `exit` comes before that. */
  private watchEnd(options: RuntimeProcessOptions): Promise<void> {
    this.child.once('exit', () => {
      this.gone = true;
      this.releasePipes();
    });
    let spawned = true;
    return new Promise((resolve) => {
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.stdout.flush();
        this.stderr.flush();
        if (spawned) options.onExit(code, signal);
        resolve();
      });
      this.child.once('error', (error) => {
        if (this.child.pid !== undefined) return;
        spawned = false;
        this.gone = true;
        options.onSpawnError(error);
        resolve();
      });
    });
  }

  /**
   * The runtime is gone, so is its environment: what it started is killed, which closes the pipes
   * they inherited. Pipes still held after a grace period (by a process never seen as a member) are cut.
   */
  private releasePipes(): void {
    this.group?.kill();
    const timer = setTimeout(() => {
      this.child.stdout.destroy();
      this.child.stderr.destroy();
    }, OUTPUT_GRACE_MS);
    timer.unref();
    this.child.once('close', () => {
      clearTimeout(timer);
    });
  }
}
