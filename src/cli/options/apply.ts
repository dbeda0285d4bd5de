import type { Argv } from 'yargs';
import type { NumberFlag } from './numbers.js';
import { targetOptions } from './target.js';

/** The tune command's apply flags: after the run, set the recommendation on the function. */
export interface ApplyRunFlags {
  apply: boolean;
  applyAlias?: string | undefined;
  yes: boolean;
}

/** tune apply's flags. */
export interface ApplyFlags {
  result: string;
  function?: string | undefined;
  alias?: string | undefined;
  yes: boolean;
  out?: string | undefined;
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  config?: string | undefined;
  seedMb: NumberFlag;
}

/** --apply, --apply-alias and --yes, for the tune command (chained into its options). */
export function applyRunOptions(yargs: Argv): Argv {
  return yargs
    .option('apply', {
      type: 'boolean',
      default: false,
      describe:
        "After the run, set the recommended memory on $LATEST (asked first on a terminal; journaled in apply.json, undone by 'tune restore DIR --undo-apply')",
    })
    .option('apply-alias', {
      type: 'string',
      describe: 'Apply to this alias instead: publish a version with the recommended memory and point the alias at it ($LATEST stays as it is)',
    })
    .option('yes', yesOption);
}

export function applyOptions(yargs: Argv): Argv<ApplyFlags> {
  return targetOptions(yargs)
    .usage(
      "$0 apply RESULT.json [--alias NAME] [--yes]\n\nSet a result's recommended memory on its function ($LATEST, or a version the alias is pointed at), as tune --apply does after a run.",
    )
    .positional('result', { type: 'string', describe: 'A result.json a tune run wrote' })
    .option('function', { type: 'string', describe: "The function to apply to, in a result of several (default: the recommended cell's)" })
    .option('alias', { type: 'string', describe: 'Publish a version with the recommended memory and point this alias at it; $LATEST stays as it is' })
    .option('yes', yesOption)
    .option('out', { type: 'string', describe: "Folder for the apply journal, apply.json (default: the result's folder)" }) as unknown as Argv<ApplyFlags>;
}

const yesOption = {
  type: 'boolean',
  default: false,
  describe: 'Apply without asking (needed where stdin is not a terminal, as in CI)',
} as const;
