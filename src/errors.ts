/**
 * Every error a user can cause or meet, in one catalogue: its code, its exit code, and the words
 * it is told in (what went wrong, then what to do). Call sites pass only the facts.
 */

/** Exit codes, as DESIGN.md fixes them. */
export const EXIT = { ok: 0, regression: 1, usage: 2, failure: 3 } as const;

type ExitCode = typeof EXIT.usage | typeof EXIT.failure;

interface Entry<P> {
  exitCode: ExitCode;
  message: (p: P) => string;
  hint: (p: P) => string;
}

/** Exit 2: the user gave something that cannot be used. */
function usage<P>(message: (p: P) => string, hint: (p: P) => string): Entry<P> {
  return { exitCode: EXIT.usage, message, hint };
}

/** Exit 3: something failed while running (AWS, the local platform, the file system). */
function failure<P>(message: (p: P) => string, hint: (p: P) => string): Entry<P> {
  return { exitCode: EXIT.failure, message, hint };
}

type FileFacts = { file: string; reason: string };
type Problems = { file: string; problems: string[] };
type AwsFacts = { where: string; detail: string };

const list = (problems: string[]): string => problems.map((p) => `\n  ${p}`).join('');

export const CATALOGUE = {
  BAD_USAGE: usage<{ detail: string }>(
    (p) => p.detail,
    () => 'Run "tune --help" to see the commands and options.',
  ),
  FLAG_MISSING: usage<{ flag: string; what: string; example: string }>(
    (p) => `${p.what} with ${p.flag}.`,
    (p) => `For example: ${p.example}`,
  ),
  FLAG_REPEATED: usage<{ flag: string; values: string[] }>(
    (p) => `${p.flag} was given ${p.values.length} times (${p.values.join(', ')}); it takes one value.`,
    (p) => `Give ${p.flag} once${p.flag === '--memory' || p.flag === '--chunks' ? ', with the values comma separated (--memory 128,256)' : ''}.`,
  ),
  FLAG_INVALID: usage<{ flag: string; problem: string; hint: string }>(
    (p) => `${p.flag} ${p.problem}`,
    (p) => p.hint,
  ),
  CONFIG_UNREADABLE: usage<FileFacts>(
    (p) => `Cannot read the config file ${p.file}: ${p.reason}.`,
    () => 'Check the path given to --config, or leave it out to use ./tune.config.json (or, with --local, the bundled examples).',
  ),
  CONFIG_INVALID: usage<Problems & { section: string }>(
    (p) => `The "${p.section}" section of ${p.file} is not valid:${list(p.problems)}`,
    () => 'Fix the fields named above; README.md lists every field of the config file.',
  ),
  BAD_RULE: usage<{ rule: string; why: string }>(
    (p) => `The rule "${p.rule}" is not valid: ${p.why}.`,
    () => 'Examples: "duration:p95 > 10% error", "cost > 5% warn recommended", "maxMemory > 900 error", "timing:mbPerSecond < 10% warn".',
  ),
  BAD_TEMPLATE: usage<FileFacts>(
    (p) => `--template ${p.file}: ${p.reason}.`,
    () => 'Copy templates/report.md or templates/report.html, keep its extension, and give the copy to --template.',
  ),
  RESULT_UNREADABLE: usage<FileFacts & { role: string }>(
    (p) => `Cannot read the ${p.role} ${p.file}: ${p.reason}.`,
    (p) => (p.role === 'baseline' ? 'Write one with "tune … --update-baseline FILE" and commit it.' : 'Give the result.json a tune run wrote.'),
  ),
  RESULT_INVALID: usage<Problems & { role: string }>(
    (p) => `The ${p.role} ${p.file} is not a valid lambda-tune result:${list(p.problems)}`,
    () => 'Give the result.json a tune run wrote, unedited; results of a newer lambda-tune need that version.',
  ),
  MEASUREMENTS_INVALID: usage<Problems>(
    (p) => `Cannot analyse ${p.file}:${list(p.problems)}`,
    () => 'README.md describes the columns and lines tune analyze reads.',
  ),
  JOURNAL_UNREADABLE: usage<FileFacts>(
    (p) => `Cannot read the journal ${p.file}: ${p.reason}.`,
    () => 'Give the journal.json in the folder the run wrote to (--journal FILE or --out DIR).',
  ),
  JOURNAL_INVALID: usage<Problems>(
    (p) => `The journal ${p.file} is not a valid lambda-tune journal:${list(p.problems)}`,
    () => 'Give the journal.json a tune run wrote, unedited.',
  ),
  JOURNAL_PENDING: usage<{ file: string }>(
    (p) => `The journal ${p.file} is of a run that did not put everything back; a new run there would lose what it knows.`,
    (p) => `Run "tune restore --journal ${p.file}" first (or use another --out folder).`,
  ),
  RESUME_UNUSABLE: usage<{ dir: string; problems: string[] }>(
    (p) => `Cannot resume the run in ${p.dir}:${list(p.problems)}`,
    () => 'Give --resume the --out folder of a run that was interrupted (it holds run.json, journal.json and samples.jsonl).',
  ),
  JOURNAL_LOCAL: usage<Record<string, never>>(
    () => 'That journal is from a run on the local platform, which ended with the run.',
    () => 'Nothing on AWS was changed by it; there is nothing to restore.',
  ),
  APPLY_NEEDS_YES: usage<{ flag: string }>(
    (p) => `${p.flag} changes the function, and there is no terminal to ask on first (stdin is not a terminal). Nothing was run.`,
    () => 'Add --yes to apply without asking (as in CI), or run it on a terminal to be asked first.',
  ),
  APPLY_REFUSED: usage<{ why: string; hint: string }>(
    (p) => `Not applied: ${p.why}. Nothing was changed.`,
    (p) => p.hint,
  ),
  APPLY_CODE_CHANGED: usage<{ functionName: string; now: string; measured: string; alias?: { name: string; version: string } | undefined }>(
    (p) =>
      p.alias === undefined
        ? `Not applied: the code of ${p.functionName} changed since it was measured (CodeSha256 ${p.now}, measured ${p.measured}); someone deployed meanwhile. Nothing was changed.`
        : `Not applied: the alias ${p.alias.name} of ${p.functionName} serves version ${p.alias.version}, whose code is not the code that was measured (CodeSha256 ${p.now}, measured ${p.measured}); pointing it at a version of $LATEST would deploy other code to it. Nothing was changed.`,
    (p) =>
      p.alias === undefined
        ? 'Tune the code it has now (run tune again), then apply that recommendation.'
        : `Tune ${p.functionName}:${p.alias.name} (the code it serves), or deploy the measured code to the alias first.`,
  ),
  APPLY_PENDING: usage<{ file: string; dir: string }>(
    (p) => `The apply journal ${p.file} is of an apply that did not finish; the function may be half changed, and only that journal knows how it was.`,
    (p) => `Run "tune restore ${p.dir}" first: it puts back what that apply changed.`,
  ),
  APPLY_UNDO_CHANGED: usage<{ file: string; what: string }>(
    (p) => `Cannot undo the apply of ${p.file}: ${p.what}; it was changed since the apply, and undoing it would overwrite that change. Nothing was changed.`,
    () => 'Set the memory (or the alias) yourself, with the AWS console or "aws lambda update-function-configuration".',
  ),
  APPLY_JOURNAL_INVALID: usage<Problems>(
    (p) => `The apply journal ${p.file} is not a valid lambda-tune apply journal:${list(p.problems)}`,
    () => 'Give the folder of the run (or the tune apply) that wrote apply.json, with the file unedited.',
  ),
  APPLY_WRONG_TARGET: usage<{ file: string; local: boolean }>(
    (p) =>
      p.local
        ? `${p.file} was measured on AWS; --local would apply its recommendation to the local platform's function of that name.`
        : `${p.file} was measured on the local platform; without --local its recommendation would be applied to a function on AWS.`,
    (p) => (p.local ? 'Leave out --local to apply it where it was measured.' : 'Add --local to apply it to the local platform, where it was measured.'),
  ),
  PATH_UNUSABLE: usage<{ what: string; file: string; reason: string }>(
    (p) => `Cannot use ${p.what} ${p.file}: ${p.reason}.`,
    () => 'Give a path that can be used that way, or leave the option out for the default.',
  ),
  FILE_FAILURE: failure<{ what: string; file: string; reason: string }>(
    (p) => `Could not write ${p.what} ${p.file}: ${p.reason}.`,
    () => 'Check the disk has room and the folder can be written to, then run again.',
  ),
  FILE_SYSTEM: failure<{ file: string; reason: string }>(
    (p) => `A file operation on ${p.file} failed: ${p.reason}.`,
    () => 'Check the path, the permissions and the free space, then run again.',
  ),
  NO_RESULTS: usage<{ where: string }>(
    (p) => `No result files were found in ${p.where}.`,
    () => 'Give result.json files, or folders holding them (searched recursively; node_modules and .git are left out).',
  ),
  GIT_HISTORY: usage<{ file: string; reason: string }>(
    (p) => `Cannot read the git history of ${p.file}: ${p.reason}.`,
    () => 'Give --git a result file committed in a git repository (with git installed), or give the result files themselves.',
  ),
  NOT_COMPARABLE: usage<{ problems: string[] }>(
    (p) => `The baseline and this run are not comparable: ${p.problems.join('; ')}.`,
    () => 'Compare runs of the same functions, region, architecture and payload; to start over, write a new baseline with --update-baseline.',
  ),
  INCOMPLETE_RUN: usage<{ which: string; why: string; instead: string }>(
    (p) => `The ${p.which} stopped early (${p.why}), so it did not measure every cell; ${p.instead}.`,
    () => 'Run it to the end (a larger --budget, no interruption).',
  ),
  RUN_INTERRUPTED: failure<{ out: string; skipped: string[] }>(
    (p) =>
      `The run was interrupted before it measured every cell: the result and reports in ${p.out} cover only what was measured${p.skipped.length === 0 ? '' : `, and it was ${p.skipped.join(', ')}`}.`,
    (p) => `Run "tune --resume ${p.out}" to measure the rest (with --local, --config and the output flags as you gave them), or run it again.`,
  ),
  NO_REGION: usage<Record<string, never>>(
    () => 'No AWS region is set.',
    () => 'Pass --region us-east-1 (or your region), set AWS_REGION or AWS_DEFAULT_REGION, or give your profile a region; or try it locally with --local.',
  ),
  NO_CREDENTIALS: failure<AwsFacts>(
    (p) => `No AWS credentials were found (${p.where}).`,
    () => 'Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run "aws configure" or "aws sso login", or run on the local platform with --local.',
  ),
  FUNCTION_NOT_FOUND: failure<AwsFacts & { functionName: string | undefined }>(
    (p) => `Function ${p.functionName === undefined ? '' : `"${p.functionName}" `}was not found (${p.where}): ${p.detail}`,
    () => 'Check the name and the region; list your functions with "aws lambda list-functions".',
  ),
  QUALIFIER_NOT_FOUND: failure<{ functionName: string; qualifier: string; detail: string }>(
    (p) => `"${p.qualifier}" is not an alias or version of ${p.functionName}: ${p.detail}`,
    (p) =>
      `List its aliases with "aws lambda list-aliases --function-name ${p.functionName}" and its versions with "aws lambda list-versions-by-function"; or tune the function unqualified.`,
  ),
  LIVE_CODE_DIFFERS: usage<{ functionName: string; qualifier: string; version: string; liveSha: string; latestSha: string }>(
    (p) =>
      `$LATEST of ${p.functionName} holds other code than ${p.qualifier}${p.qualifier === p.version ? '' : ` (version ${p.version})`} (CodeSha256 ${p.latestSha} against ${p.liveSha}); tune publishes its versions from $LATEST, so it would measure other code. Nothing was changed.`,
    (p) => `Deploy the code of ${p.qualifier} to $LATEST, or tune the function unqualified (--function ${p.functionName}).`,
  ),
  ENVIRONMENT_UNREADABLE: failure<{ functionName: string; reason: string }>(
    (p) =>
      `Cannot read the environment variables of ${p.functionName} (${p.reason}); --cold gives each cold start a fresh environment by changing one of them, and would lose the rest. Nothing was changed.`,
    () => "Give these credentials kms:Decrypt on the function's key, or leave out --cold.",
  ),
  ENVIRONMENT_TOO_LARGE: usage<{ functionName: string; bytes: number; limitBytes: number; variable: string }>(
    (p) =>
      `The environment variables of ${p.functionName} take ${p.bytes} bytes with the ${p.variable} variable --cold adds to each cold start, over Lambda's ${p.limitBytes}-byte limit (measured as Lambda does: the JSON text of the variables); the run would fail half way. Nothing was changed.`,
    () => 'Leave out --cold, or make room: move large values to SSM Parameter Store or Secrets Manager.',
  ),
  TUNE_IN_PROGRESS: usage<{ functionName: string; evidence: string }>(
    (p) =>
      `${p.functionName} looks changed by another lambda-tune run that is still going or was cut short (${p.evidence}); its memory now may be that run's, not yours. Nothing was changed.`,
    () => 'Wait for the other run to end; if it was cut short, run "tune restore DIR" with its --out folder, then tune again.',
  ),
  ALIAS_CONFIG_DIFFERS: usage<{ functionName: string; qualifier: string; version: string; differences: string[] }>(
    (p) =>
      `$LATEST of ${p.functionName} is configured unlike ${p.qualifier}${p.qualifier === p.version ? '' : ` (version ${p.version})`}:${list(p.differences)}\ntune publishes its versions from $LATEST, so it would measure another configuration than ${p.qualifier} serves. Nothing was changed.`,
    (p) => `Give $LATEST the configuration of ${p.qualifier} (memory aside), or tune the function unqualified (--function ${p.functionName}).`,
  ),
  ALIAS_ROUTED: usage<{ functionName: string; alias: string; versions: string[] }>(
    (p) =>
      `The alias ${p.alias} of ${p.functionName} sends part of its traffic to version ${p.versions.join(', ')} too (a routing configuration): it serves more than one version, so no one tuning is its. Nothing was changed.`,
    (p) => `Tune the version it serves (--function ${p.functionName}:VERSION) once the weighted rollout is over, or tune the function unqualified.`,
  ),
  CHANGED_DURING_RUN: failure<{ functionName: string; what: string }>(
    (p) => `${p.functionName} was changed by someone else during the run (${p.what}); lambda-tune stopped rather than overwrite that change.`,
    () =>
      'Check the function (someone may have deployed). The run deleted the versions it made but left $LATEST as found; "tune restore DIR" says what it would put back, and with --force does it.',
  ),
  RESTORE_CHANGED: failure<{ functionName: string; what: string; original: string }>(
    (p) =>
      `Not restored: $LATEST of ${p.functionName} is not as the run left it (${p.what}); someone changed it since, and restoring would overwrite that. Its memory and variables were left alone.`,
    (p) =>
      `To finish by hand, set ${p.original} yourself (AWS console or "aws lambda update-function-configuration"), or run "tune restore" again with --force to overwrite the change.`,
  ),
  ACCESS_DENIED: failure<AwsFacts>(
    (p) => `AWS refused the request (${p.where}): ${p.detail}`,
    () => 'README.md lists the IAM permissions lambda-tune needs; check the credentials are current.',
  ),
  AWS_ERROR: failure<AwsFacts & { name: string }>(
    (p) => `AWS answered ${p.name} (${p.where}): ${p.detail}`,
    () => 'Run again with --debug for details.',
  ),
  WAIT_TIMEOUT: failure<{ what: string; seconds: number }>(
    (p) => `Gave up waiting for ${p.what} after ${p.seconds} s.`,
    () => 'Lambda may be slow or stuck on this function; check it in the console, then run again (tune restore puts it back if a run was cut short).',
  ),
  LAMBDA_FAILED: failure<{ what: string; reason: string }>(
    (p) => `${p.what} failed: ${p.reason}.`,
    () => 'Fix what Lambda names above (see the function in the console), then run again.',
  ),
  ENDPOINT_UNREACHABLE: failure<{ where: string; detail: string }>(
    (p) => `Cannot reach AWS (${p.where}): ${p.detail}.`,
    () => 'Check the network, a proxy or AWS_ENDPOINT_URL, then run again; if a run was cut short, tune restore puts its functions back.',
  ),
  PORT_IN_USE: failure<{ host: string; port: number }>(
    (p) => `Port ${p.port} on ${p.host} is already in use.`,
    () => 'Pick another with --port, or --port 0 for any free one.',
  ),
  BAD_HOST: failure<{ host: string }>(
    (p) => `Cannot bind to ${p.host}: no such address on this machine.`,
    () => 'Use 127.0.0.1 (the default) or an address this machine has.',
  ),
} satisfies Record<string, Entry<never>>;

export type ErrorCode = keyof typeof CATALOGUE;
export type ErrorFacts<C extends ErrorCode> = Parameters<(typeof CATALOGUE)[C]['message']>[0];

/** An error the user can fix: a message saying what went wrong and a hint saying what to do. */
export class UserError extends Error {
  readonly hint: string;
  readonly exitCode: ExitCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    hint: string,
    exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** The catalogue's error for `code`, told with these facts. */
export function userError<C extends ErrorCode>(code: C, facts: ErrorFacts<C>): UserError {
  const entry = CATALOGUE[code] as unknown as Entry<ErrorFacts<C>>;
  return new UserError(code, entry.message(facts), entry.hint(facts), entry.exitCode);
}

/** A flag that cannot be used: the most common error, so it gets its own shorthand. */
export function badFlag(flag: string, problem: string, hint: string): UserError {
  return userError('FLAG_INVALID', { flag, problem, hint });
}

/** What a file-system error means to the user, in words; undefined when it is not one. */
export function fileSystemReason(error: unknown): string | undefined {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
      return 'something else is already there';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'the path loops through symbolic links';
    default:
      return undefined;
  }
}

/**
 * A file-system error as the user's error: exit 2 when the path was the user's own choice and
 * cannot be used (a folder given as a file, a missing parent), exit 3 when writing failed while
 * running (a full disk). Anything else passes through unchanged.
 */
export function explainFileError(error: unknown, what: string, file: string, given: boolean): unknown {
  const reason = fileSystemReason(error);
  if (reason === undefined) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const runtime = code === 'ENOSPC' || code === 'EROFS' || !given;
  return userError(runtime ? 'FILE_FAILURE' : 'PATH_UNUSABLE', { what, file, reason });
}

/** One paragraph for the user; the stack only with --debug. */
export function describeError(error: unknown, debug: boolean): { text: string; exitCode: number } {
  if (error instanceof UserError) {
    const text = `tune: ${error.message}\n${error.hint}`;
    return { text: debug && error.stack !== undefined ? `${text}\n${error.stack}` : text, exitCode: error.exitCode };
  }
  const reason = fileSystemReason(error);
  if (reason !== undefined) {
    const file = (error as NodeJS.ErrnoException).path ?? 'a file';
    return describeError(userError('FILE_SYSTEM', { file, reason }), debug);
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail = debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '\nRun again with --debug to see where it happened.';
  return { text: `tune: unexpected error: ${message}${detail}`, exitCode: EXIT.failure };
}
