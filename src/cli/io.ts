import { isatty } from 'node:tty';

/** What a command needs from the process: passed in so tests can run commands in-process. */
export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Whether stderr is a terminal (live progress) or a log (plain lines). */
  stderrIsTty: boolean;
  /** Whether stdin is a terminal a question can be asked on (absent: it is not). */
  stdinIsTty?: boolean | undefined;
  /** Standard input, opened only when a question is asked. */
  stdin?: (() => NodeJS.ReadableStream) | undefined;
  /** Calls back once when the user asks the program to stop (SIGINT or SIGTERM); returns a function that stops listening. */
  onInterrupt: (callback: (signal: NodeJS.Signals) => void) => () => void;
}

/** Resolves at the first SIGINT or SIGTERM. */
export function interrupted(io: CliIo): Promise<NodeJS.Signals> {
  return new Promise((resolve) => io.onInterrupt(resolve));
}

export function processIo(proc: NodeJS.Process): CliIo {
  return {
    argv: proc.argv.slice(2),
    env: proc.env,
    cwd: proc.cwd(),
    stdout: proc.stdout,
    stderr: proc.stderr,
    // Node's types promise a boolean; on a pipe there is no such property at all.
    stderrIsTty: (proc.stderr as { isTTY?: boolean }).isTTY === true,
    // Asked of the descriptor: reading proc.stdin would open the stream even when no question is asked.
    stdinIsTty: isatty(0),
    stdin: () => proc.stdin,
    onInterrupt: (callback) => {
      // Listens once; a second Ctrl-C quits at once, through process.exit so that exit handlers
      // (the local platform's, which kill function processes) still run.
      const on = (signal: NodeJS.Signals) => {
        off();
        proc.once('SIGINT', () => proc.exit(130));
        proc.once('SIGTERM', () => proc.exit(143));
        callback(signal);
      };
      const off = () => {
        proc.off('SIGINT', on);
        proc.off('SIGTERM', on);
      };
      proc.on('SIGINT', on);
      proc.on('SIGTERM', on);
      return off;
    },
  };
}
