/**
 * Which environment variables a function may set. Lambda refuses the keys it sets itself
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html, "Reserved environment
 * variables"). The local platform also refuses keys that make the runtime, the dynamic loader or an
 * interpreter load code from somewhere else: on this machine that code would run as its user.
 */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** Keys that load code or libraries before (or instead of) the handler, or redirect what it imports. */
const CODE_LOADING_KEYS: ReadonlySet<string> = new Set([
  // Node.js: --require/--import, extra module folders, a custom ICU data file, coverage written anywhere.
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_ICU_DATA',
  'NODE_V8_COVERAGE',
  'NODE_REPL_EXTERNAL_MODULE',
  // Python
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'PYTHONUSERBASE',
  'PYTHONBREAKPOINT',
  'PYTHONEXECUTABLE',
  'PYTHONPLATLIBDIR',
  // Other interpreters a function might start, and the shell's start-up file
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
  '_JAVA_OPTIONS',
  'PERL5LIB',
  'PERL5OPT',
  'RUBYLIB',
  'RUBYOPT',
  'BASH_ENV',
  // glibc loads modules named by these
  'GCONV_PATH',
  'LOCPATH',
]);

/** The dynamic loader's variables (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, …) and macOS's. */
const CODE_LOADING_PREFIXES = ['LD_', 'DYLD_'];

export function reservedKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => RESERVED_ENV_KEYS.has(key));
}

export function codeLoadingKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => CODE_LOADING_KEYS.has(key) || CODE_LOADING_PREFIXES.some((prefix) => key.startsWith(prefix)));
}

/** Lambda's own words for a reserved key. */
export function reservedKeysMessage(keys: readonly string[]): string {
  return `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${keys.join(', ')}`;
}

export function codeLoadingKeysMessage(keys: readonly string[]): string {
  return `The local platform refuses environment variables that make the runtime load code from outside the function's folder: ${keys.join(', ')}. Remove them; put what they load into the function's code instead.`;
}

/** Why a function may not have these variables, or undefined when it may. */
export function environmentProblem(keys: readonly string[]): string | undefined {
  const reserved = reservedKeys(keys);
  if (reserved.length > 0) return reservedKeysMessage(reserved);
  const loading = codeLoadingKeys(keys);
  return loading.length > 0 ? codeLoadingKeysMessage(loading) : undefined;
}
