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

/**
 * Keys that make a process load code the function was not configured with. The rule: refused is
 * any variable that makes the runtime (Node.js), a library every process links (glibc, its dynamic
 * loader, OpenSSL) or an interpreter the function may start load code, or find modules, in a folder
 * or file the variable names, before or instead of what the function imports itself. Variables that
 * only name data (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, TZDIR) or only change behaviour are fine.
 * PATH is the function's own, as on Lambda: the runtime starts by absolute path and never looks it up.
 */
const CODE_LOADING_KEYS: ReadonlySet<string> = new Set([
  // Node.js: --require/--import, extra module folders, a custom ICU data file, coverage written
  // anywhere, compiled code read back from a cache folder.
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_ICU_DATA',
  'NODE_V8_COVERAGE',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_COMPILE_CACHE',
  // CommonJS looks in $HOME/.node_modules and $HOME/.node_libraries, Python in $HOME/.local: the
  // platform gives every environment a private HOME of its own instead.
  'HOME',
  // OpenSSL, linked into Node.js: a config file may name provider or engine modules (shared
  // objects) that are loaded at start-up, and these name the folders they are loaded from.
  'OPENSSL_CONF',
  'OPENSSL_CONF_INCLUDE',
  'OPENSSL_MODULES',
  'OPENSSL_ENGINES',
  // Python. The runtime starts isolated (-I) and reads none of them, but a python the function
  // starts would.
  'PYTHONPATH', // module folders
  'PYTHONHOME', // where the standard library and site-packages come from
  'PYTHONPLATLIBDIR', // the same, for platform-specific modules
  'PYTHONUSERBASE', // user site-packages
  'PYTHONSTARTUP', // a file run at interactive start
  'PYTHONINSPECT', // an interactive prompt after the script (and PYTHONSTARTUP with it)
  'PYTHONBREAKPOINT', // a callable breakpoint() imports by name
  'PYTHONWARNINGS', // warning categories imported by module path
  'PYTHONPYCACHEPREFIX', // compiled code read back from a cache folder
  'PYTHONEXECUTABLE', // the executable site takes itself for (macOS), whose pyvenv.cfg it reads
  'PYTHONCASEOK', // case-insensitive imports: another file for a module's name
  // Other interpreters a function might start, and the shell's start-up file
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
  '_JAVA_OPTIONS',
  'CLASSPATH',
  'PERL5LIB',
  'PERLLIB',
  'PERL5OPT',
  'PERL5DB',
  'RUBYLIB',
  'RUBYOPT',
  'BASH_ENV',
  // glibc loads character set converters (gconv modules) and locale data from these, and getconf
  // runs the programs it finds in GETCONF_DIR.
  'GCONV_PATH',
  'LOCPATH',
  'GETCONF_DIR',
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
  const home = keys.includes('HOME') ? " The platform sets HOME itself, to a private folder of each execution environment's own." : '';
  return `The local platform refuses environment variables that make the runtime load code from outside the function's folder: ${keys.join(', ')}. Remove them; put what they load into the function's code instead.${home}`;
}

/** Lambda measures a function's variables as their JSON text and takes at most 4 KB of it. */
export const MAX_ENVIRONMENT_BYTES = 4096;

/** Lambda's own words for variables over 4 KB, with the text it measured. */
export function environmentSizeProblem(variables: Readonly<Record<string, string>>): string | undefined {
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) <= MAX_ENVIRONMENT_BYTES) return undefined;
  return `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`;
}

/** Names Lambda takes for variables (its API's own check; it also keeps out bash's exported functions, `BASH_FUNC_x%%`). */
export const VARIABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/** Why a function may not have these variables, or undefined when it may. */
export function environmentProblem(variables: Readonly<Record<string, string>>): string | undefined {
  const keys = Object.keys(variables);
  const reserved = reservedKeys(keys);
  if (reserved.length > 0) return reservedKeysMessage(reserved);
  const loading = codeLoadingKeys(keys);
  if (loading.length > 0) return codeLoadingKeysMessage(loading);
  const badName = keys.find((key) => !VARIABLE_NAME.test(key));
  return badName === undefined ? environmentSizeProblem(variables) : `Environment variable name ${badName} is not valid.`;
}
