import path from 'node:path';
import { z } from 'zod';
import { badFlag, userError } from '../errors.js';
import { DEFAULT_RULES, parseRule, plainNumber, type Rule } from '../gate/rules.js';
import { describeIssues } from '../validate.js';
import { type ConfigFile, sectionOf } from './config-file.js';
import { decimal, type NumberFlag } from './numbers.js';

/** A rule in the config: the flag's text, or the same as fields. */
const ruleObject = z.strictObject({
  metric: z.string(),
  statistic: z.enum(['p50', 'p90', 'p95', 'p99', 'mean']).optional(),
  increasePercent: z.number().positive().optional(),
  decreasePercent: z.number().positive().optional(),
  limit: z.number().nonnegative().optional(),
  level: z.enum(['warn', 'error']).optional(),
  scope: z.enum(['all', 'recommended']).optional(),
});

const gateSchema = z.strictObject({
  rules: z.array(z.union([z.string(), ruleObject])).optional(),
  confidence: z.number().min(0.5).max(0.999).optional(),
});

/** What the gate judges with, every part checked before anything is measured. */
export interface GateSettings {
  rules: Rule[];
  confidence: number;
  /** Where the verdicts go as Markdown besides the terminal: --markdown, and the job summary in GitHub Actions. */
  markdownFiles: string[];
  /** List every skipped check rather than one line per reason. */
  verbose: boolean;
  /** Exit 0 when nothing could be judged. */
  allowInconclusive: boolean;
}

export interface GateFlags {
  rule: string[];
  confidence?: NumberFlag | undefined;
  markdown?: string | undefined;
  config?: string | undefined;
  verbose: boolean;
  allowInconclusive: boolean;
}

/** The gate's settings from its flags, then the config file's gate section, then the defaults. */
export function loadGateSettings(flags: GateFlags, config: ConfigFile | undefined, cwd: string, env: NodeJS.ProcessEnv): GateSettings {
  const fromConfig = config === undefined ? {} : readGateSection(config);
  const confidence = decimal('--confidence', flags.confidence) ?? fromConfig.confidence ?? 0.95;
  if (!(confidence >= 0.5 && confidence < 1))
    throw badFlag('--confidence', `must be at least 0.5 and below 1 (got ${confidence}).`, 'For example --confidence 0.95.');
  const ruleTexts = flags.rule.length > 0 ? flags.rule : (fromConfig.rules ?? DEFAULT_RULES);
  const summary = env['GITHUB_STEP_SUMMARY'];
  const markdownFiles = [
    ...(flags.markdown === undefined ? [] : [path.resolve(cwd, flags.markdown)]),
    ...(summary === undefined || summary === '' ? [] : [path.resolve(cwd, summary)]),
  ];
  return { rules: ruleTexts.map(parseRule), confidence, markdownFiles, verbose: flags.verbose, allowInconclusive: flags.allowInconclusive };
}

/** The config file's `gate` section, its rules as text for the one parser that checks them. */
function readGateSection(config: ConfigFile): { rules?: string[] | undefined; confidence?: number | undefined } {
  const parsed = gateSchema.safeParse(sectionOf(config.raw, 'gate', config.file));
  if (!parsed.success) throw userError('CONFIG_INVALID', { section: 'gate', file: config.file, problems: describeIssues(parsed.error.issues, 'gate') });
  return { rules: parsed.data.rules?.map(ruleText), confidence: parsed.data.confidence };
}

function ruleText(rule: string | z.infer<typeof ruleObject>): string {
  if (typeof rule === 'string') return rule;
  const stat = rule.statistic === undefined ? '' : `:${rule.statistic}`;
  const threshold =
    rule.decreasePercent !== undefined
      ? `< ${plainNumber(rule.decreasePercent)}%`
      : rule.increasePercent !== undefined
        ? `> ${plainNumber(rule.increasePercent)}%`
        : rule.limit !== undefined
          ? `> ${plainNumber(rule.limit)}`
          : '> ?';
  return `${rule.metric}${stat} ${threshold} ${rule.level ?? 'error'} ${rule.scope ?? 'all'}`;
}
