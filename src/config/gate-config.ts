import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { userError } from '../errors.js';
import { DEFAULT_CONFIG_FILE } from './local-config.js';

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

const gateSection = z.strictObject({
  rules: z.array(z.union([z.string(), ruleObject])).optional(),
  confidence: z.number().min(0.5).max(0.999).optional(),
});

export interface GateConfig {
  /** As rule texts, for the one parser that checks them. */
  rules?: string[] | undefined;
  confidence?: number | undefined;
}

/** The `gate` section of the config file given, or of ./tune.config.json when there is one. */
export function loadGateConfig(configFile: string | undefined, cwd: string): GateConfig {
  const file = configFile === undefined ? path.join(cwd, DEFAULT_CONFIG_FILE) : path.resolve(cwd, configFile);
  if (configFile === undefined && !existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw userError('CONFIG_UNREADABLE', { file, reason: (error as Error).message });
  }
  const parsed = gateSection.safeParse((raw as Record<string, unknown> | null)?.['gate'] ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `gate.${issue.path.join('.')}: ${issue.message}`);
    throw userError('CONFIG_INVALID', { section: 'gate', file, problems });
  }
  return { rules: parsed.data.rules?.map(ruleText), confidence: parsed.data.confidence };
}

function ruleText(rule: string | z.infer<typeof ruleObject>): string {
  if (typeof rule === 'string') return rule;
  const stat = rule.statistic === undefined ? '' : `:${rule.statistic}`;
  const threshold =
    rule.decreasePercent !== undefined
      ? `< ${rule.decreasePercent}%`
      : rule.increasePercent !== undefined
        ? `> ${rule.increasePercent}%`
        : rule.limit !== undefined
          ? `> ${rule.limit}`
          : '> ?';
  return `${rule.metric}${stat} ${threshold} ${rule.level ?? 'error'} ${rule.scope ?? 'all'}`;
}
