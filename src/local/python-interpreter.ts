import { execFile } from 'node:child_process';

/** The host's Python, as it names itself. */
export interface PythonInterpreter {
  /** The interpreter's own absolute path (`sys.executable`): a launcher such as pyenv's shim is looked through once. */
  executable: string;
  /** Its version, such as `3.11.2`. */
  version: string;
}

/** How long the interpreter may take to say who it is. */
const PROBE_TIMEOUT_MS = 10_000;

/** Asks `command` (a name looked up on the platform's PATH, or a path) for its own path and version. */
const PROBE = 'import platform, sys; print(sys.executable); print(platform.python_version())';

/**
 * Finds the interpreter Python functions run with: `command` as the platform's own PATH finds it,
 * asked once. Undefined when there is none, or it is not Python 3.9 or newer.
 */
export async function findPythonInterpreter(command: string): Promise<PythonInterpreter | undefined> {
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(command, ['-I', '-c', PROBE], { timeout: PROBE_TIMEOUT_MS }, (error, stdout) => {
      resolve(error === null ? stdout : undefined);
    });
  });
  const [executable, version] = (output ?? '').trim().split('\n');
  if (executable === undefined || executable === '' || version === undefined || !supported(version)) return undefined;
  return { executable, version };
}

/** The bootstrap needs Python 3.9 or newer (the oldest runtime Lambda still creates functions with). */
function supported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 9);
}

/** Finds the interpreter once, on first use: a platform that serves no Python function never looks. */
export function lazyPythonInterpreter(command: string): () => Promise<PythonInterpreter | undefined> {
  let found: Promise<PythonInterpreter | undefined> | undefined;
  return () => (found ??= findPythonInterpreter(command));
}
