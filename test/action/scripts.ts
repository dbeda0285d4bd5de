import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The action's scripts are plain JavaScript (no build): the tests load them as a workflow runs them, typed here. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUN_SCRIPT = path.join(ROOT, 'scripts', 'action', 'run.mjs');

export interface InputSpec {
  name: string;
  modes: string[];
  requiredIn?: string[];
}

export interface RunPlan {
  mode: string;
  argv: string[];
  out: string;
  json: boolean;
  baseline: string | undefined;
  resultFile: string;
  artifactName: string;
  gateFlags?: string[];
}

export interface InputsModule {
  INPUTS: InputSpec[];
  InputError: new (message: string) => Error;
  envName: (input: string) => string;
  readInputs: (env: Record<string, string | undefined>) => Record<string, string>;
  planRun: (inputs: Record<string, string>, cwd: string) => RunPlan;
  splitArgs: (text: string) => string[];
}

export interface WorkflowCommandsModule {
  outputEntry: (name: string, value: string, delimiter?: string) => string;
  escapeData: (text: string) => string;
  escapeProperty: (text: string) => string;
  annotation: (level: string, message: string, properties?: Record<string, string | undefined>) => string;
}

export interface ResultsModule {
  OUTPUTS: string[];
  recommendationOutputs: (result: unknown) => Record<string, string>;
  verdictOf: (report: unknown) => string;
  gateAnnotations: (report: unknown, context: { file: string | undefined; exitCode: number }) => string[];
  stoppedAnnotations: (result: unknown) => string[];
  reportSummary: (markdown: string, links: { artifactName: string; runUrl: string | undefined }) => string;
  runUrlOf: (env: Record<string, string | undefined>) => string | undefined;
}

async function load<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(ROOT, 'scripts', 'action', file)).href)) as T;
}

export const loadInputs = () => load<InputsModule>('inputs.mjs');
export const loadWorkflowCommands = () => load<WorkflowCommandsModule>('workflow-commands.mjs');
export const loadResults = () => load<ResultsModule>('results.mjs');

/**
 * A GITHUB_OUTPUT file read as the runner reads it: `name=value` lines, and `name<<DELIMITER`
 * entries whose value is every line up to the delimiter's own line.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc === null) {
      const equals = line.indexOf('=');
      if (equals < 1) throw new Error(`Not an output line: ${line}`);
      outputs[line.slice(0, equals)] = line.slice(equals + 1);
      continue;
    }
    const [, name, delimiter] = heredoc;
    const end = lines.indexOf(delimiter!, i + 1);
    if (end === -1) throw new Error(`The output ${name!} never ends (no line ${delimiter!}).`);
    outputs[name!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}
