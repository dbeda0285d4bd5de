/** What a command needs from the process: passed in so tests can run commands in-process. */
export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Resolves when the user asks the program to stop (SIGINT or SIGTERM). */
  interrupted: () => Promise<NodeJS.Signals>;
}

export function processIo(proc: NodeJS.Process): CliIo {
  return {
    argv: proc.argv.slice(2),
    env: proc.env,
    cwd: proc.cwd(),
    stdout: proc.stdout,
    stderr: proc.stderr,
    interrupted: () =>
      new Promise((resolve) => {
        const on = (signal: NodeJS.Signals) => {
          proc.off('SIGINT', on);
          proc.off('SIGTERM', on);
          resolve(signal);
        };
        proc.on('SIGINT', on);
        proc.on('SIGTERM', on);
      }),
  };
}
