import { existsSync } from 'node:fs';
import type { FunctionVersionConfig } from './function-config.js';
import type { PythonInterpreter } from './python-interpreter.js';
import { runtimeFamily, runtimeVersionName } from './runtimes.js';

/** How Python functions are run: the host's interpreter and the platform's Python bootstrap. */
export interface PythonRuntime {
  bootstrapPath: string;
  /** The interpreter, found on first use (undefined: there is none). */
  interpreter: () => Promise<PythonInterpreter | undefined>;
}

export interface RuntimeDeps {
  /** The Node.js runtime bootstrap script. */
  bootstrapPath: string;
  python?: PythonRuntime | undefined;
}

/** The command that starts a function's runtime, or why none can. */
export type Launch =
  | {
      kind: 'command';
      executable: string;
      args: string[];
      /** Who serves the runtime, when that is not what its name says (Python: the host's interpreter). */
      servedBy?: string | undefined;
    }
  | { kind: 'unavailable'; errorType: string; message: string };

/** How to start the runtime a function's configuration names. */
export async function launchFor(config: FunctionVersionConfig, deps: RuntimeDeps): Promise<Launch> {
  if (runtimeFamily(config.runtime) !== 'python') return nodeLaunch(config.memoryMb, deps.bootstrapPath);
  if (deps.python === undefined || !existsSync(deps.python.bootstrapPath)) return noBootstrap(deps.python?.bootstrapPath);
  const interpreter = await deps.python.interpreter();
  if (interpreter === undefined) return noPython(config.runtime);
  return pythonLaunch(interpreter, deps.python.bootstrapPath);
}

function nodeLaunch(memoryMb: number, bootstrapPath: string): Launch {
  return { kind: 'command', executable: process.execPath, args: [...v8MemoryFlags(memoryMb), bootstrapPath] };
}

/**
 * Python isolated from the host's settings (-I: no PYTHON* variables, no user site-packages, not
 * even the script's folder on sys.path), writing no bytecode into the function's folder (-B),
 * with unbuffered output (-u) so every line reaches the log as it is written. The bootstrap puts
 * the function's folder first on sys.path itself, as Lambda puts /var/task.
 */
function pythonLaunch(interpreter: PythonInterpreter, bootstrapPath: string): Launch {
  return {
    kind: 'command',
    executable: interpreter.executable,
    args: ['-I', '-B', '-u', bootstrapPath],
    servedBy: `Python ${interpreter.version} (${interpreter.executable})`,
  };
}

function noPython(runtime: string): Launch {
  return {
    kind: 'unavailable',
    errorType: 'Runtime.InvalidEntrypoint',
    message: `The local platform runs ${runtime} functions with the host's python3 (3.9 or newer), and found none on its PATH. Install it (apt-get install python3), then invoke again.`,
  };
}

function noBootstrap(bootstrapPath: string | undefined): Launch {
  return {
    kind: 'unavailable',
    errorType: 'Runtime.InvalidEntrypoint',
    message: `The local platform's Python bootstrap is missing${bootstrapPath === undefined ? '' : ` at ${bootstrapPath}`}: this copy of lambda-tune was installed without its runtimes/python folder, so it serves Node.js functions only. Install a lambda-tune package that ships runtimes/python (in its checkout, "npm pack --dry-run" lists the files a package gets), or run lambda-tune from its checkout.`,
  };
}

/** The INIT_START line of a runtime that says who serves it, in the function's log format. */
export function initStartLine(config: FunctionVersionConfig, servedBy: string, now: Date): string {
  const version = `${runtimeVersionName(config.runtime)}.local`;
  if (config.logFormat === 'JSON') {
    const record = { initializationType: 'on-demand', phase: 'init', runtimeVersion: version, servedBy };
    return JSON.stringify({ time: now.toISOString(), type: 'platform.initStart', record });
  }
  return `INIT_START Runtime Version: ${version}\tServed by: ${servedBy}`;
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
