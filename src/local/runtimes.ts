/**
 * The runtimes Lambda knows, and which of them the local platform runs. Node.js functions run
 * with the Node.js that runs the platform, Python functions with the host's python3, whatever
 * version the configured runtime names.
 */

export type RuntimeFamily = 'nodejs' | 'python';

/** The Runtime enum of the Lambda API model (botocore's lambda/2015-03-31 service model), in its order. */
export const LAMBDA_RUNTIMES: readonly string[] = [
  'nodejs',
  'nodejs4.3',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'java8',
  'java8.al2',
  'java11',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
  'python3.9',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet6',
  'dotnet8',
  'nodejs4.3-edge',
  'go1.x',
  'ruby2.5',
  'ruby2.7',
  'provided',
  'provided.al2',
  'nodejs18.x',
  'python3.10',
  'java17',
  'ruby3.2',
  'ruby3.3',
  'ruby3.4',
  'python3.11',
  'nodejs20.x',
  'provided.al2023',
  'python3.12',
  'java21',
  'python3.13',
  'nodejs22.x',
  'nodejs24.x',
  'python3.14',
  'java25',
  'dotnet10',
  'ruby4.0',
];

/** What the local platform runs, and with what. */
const LOCAL_RUNTIMES: ReadonlyMap<string, RuntimeFamily> = new Map([
  ['nodejs18.x', 'nodejs'],
  ['nodejs20.x', 'nodejs'],
  ['nodejs22.x', 'nodejs'],
  ['nodejs24.x', 'nodejs'],
  ['python3.9', 'python'],
  ['python3.10', 'python'],
  ['python3.11', 'python'],
  ['python3.12', 'python'],
  ['python3.13', 'python'],
  ['python3.14', 'python'],
]);

/** Runtimes Lambda has retired: it no longer creates or updates functions with them. */
const RETIRED = /^(nodejs(4\.3(-edge)?|6\.10|8\.10|1[0246]\.x)?|python(2\.7|3\.[678])|dotnetcore.*|dotnet6|go1\.x|ruby2\.[57]|java8|provided)$/;

/** The runtimes the local platform runs, oldest first. */
export const LOCAL_RUNTIME_NAMES: readonly string[] = [...LOCAL_RUNTIMES.keys()];

export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  return LOCAL_RUNTIMES.get(runtime);
}

/** Why a function may not have this runtime here, in Lambda's words where Lambda refuses it too; undefined when it may. */
export function runtimeProblem(runtime: string): string | undefined {
  if (!LAMBDA_RUNTIMES.includes(runtime)) {
    return `1 validation error detected: Value '${runtime}' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${LAMBDA_RUNTIMES.join(', ')}] or be a valid ARN`;
  }
  if (RETIRED.test(runtime)) {
    return `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`;
  }
  if (runtimeFamily(runtime) === undefined) {
    return `The local platform runs Node.js and Python functions only (${LOCAL_RUNTIME_NAMES.join(', ')}), not ${runtime}. Try that function on AWS.`;
  }
  return undefined;
}

/** `python3.12` → `python:3.12`, as Lambda names a runtime's versions in INIT_START. */
export function runtimeVersionName(runtime: string): string {
  return runtime.replace(/^(nodejs|python)/, '$1:').replace(/\.x$/, '');
}
