import { badFlag } from '../errors.js';
import type { ConfigFile } from './config-file.js';
import { decimal, type NumberFlag } from './numbers.js';
import { type LocalSection, localSectionOf } from './local-config.js';

export interface TargetFlags {
  local: boolean;
  region?: string | undefined;
  profile?: string | undefined;
  seedMb: NumberFlag;
  oversubscribe?: boolean | undefined;
}

/** Where the functions live, checked before any client is made: AWS (region, profile) or the local platform (its section). */
export interface TargetConfig {
  /** With --local: the platform's functions and limits. */
  local?: LocalSection | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  seedMb: number;
  /** With --local: let functions' CPU shares exceed the host's cores. */
  oversubscribe: boolean;
}

// Lambda's regions: us-east-1, eu-central-2, ap-southeast-5, us-gov-west-1, cn-north-1 …
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function targetConfigFromFlags(flags: TargetFlags, config: ConfigFile | undefined, cwd: string, env: NodeJS.ProcessEnv = process.env): TargetConfig {
  if (flags.region !== undefined && !REGION.test(flags.region)) {
    throw badFlag(
      '--region',
      `"${flags.region}" is not an AWS region.`,
      "For example --region us-east-1 or --region eu-west-1; leave it out to use AWS_REGION, AWS_DEFAULT_REGION or the profile's.",
    );
  }
  if (flags.profile?.trim() === '')
    throw badFlag('--profile', 'must not be empty.', 'Name a profile of ~/.aws/config, or leave it out to use AWS_PROFILE or default.');
  const seedMb = seedMbOf(flags.seedMb);
  return {
    local: flags.local ? localSectionOf(config, cwd) : undefined,
    region: flags.region ?? (flags.local ? undefined : defaultRegion(env)),
    profile: flags.profile,
    seedMb,
    oversubscribe: flags.oversubscribe ?? false,
  };
}

/**
 * AWS_DEFAULT_REGION, which the AWS CLI reads after AWS_REGION and before the profile's region; the
 * JavaScript SDK reads only AWS_REGION, so it is passed on as the region. Undefined when AWS_REGION is set.
 */
function defaultRegion(env: NodeJS.ProcessEnv): string | undefined {
  const value = env['AWS_DEFAULT_REGION'];
  if (nonEmpty(env['AWS_REGION']) || !nonEmpty(value)) return undefined;
  if (!REGION.test(value)) {
    throw badFlag('AWS_DEFAULT_REGION', `"${value}" is not an AWS region.`, 'Set it to a region such as eu-west-1, or unset it.');
  }
  return value;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The size of the example object the local platform seeds into S3. */
export function seedMbOf(raw: NumberFlag): number {
  const seedMb = decimal('--seed-mb', raw);
  if (!(seedMb > 0 && seedMb <= 10_240))
    throw badFlag('--seed-mb', `must be a number of MB above 0 and at most 10240 (got ${seedMb}).`, 'For example --seed-mb 20.');
  return seedMb;
}
