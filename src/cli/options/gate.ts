import type { Argv } from 'yargs';
import { DEFAULT_RULES } from '../../gate/rules.js';

/** The gate's own flags, shared by `tune compare` and `tune --baseline`. */
export function gateOptions(yargs: Argv): Argv {
  return yargs
    .option('rule', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: `Rule as "METRIC[:STAT] > N[%] [warn|error] [all|recommended]" (repeatable; default: ${DEFAULT_RULES.join('; ')})`,
    })
    .option('confidence', {
      type: 'string',
      describe: "How sure the test must be that a change is real, 0.5..0.999 (default: the config's, else 0.95)",
    })
    .option('markdown', { type: 'string', describe: 'Also write the verdicts as Markdown to this file (GITHUB_STEP_SUMMARY gets them when set)' })
    .option('verbose', { type: 'boolean', default: false, describe: 'List every skipped check, not just a summary per reason' })
    .option('allow-inconclusive', {
      type: 'boolean',
      default: false,
      describe: 'Exit 0, not 1, when no check could be judged (too few samples); the output still says INCONCLUSIVE',
    });
}
