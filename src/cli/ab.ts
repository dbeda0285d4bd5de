import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../config/config-file.js';
import type { GateSettings } from '../config/gate-config.js';
import { type TargetConfig, targetConfigFromFlags } from '../config/target-config.js';
import { pricesFromFlags, workloadFromFlags } from '../config/tune-config.js';
import { userError } from '../errors.js';
import { type AbConfig, type AbOutcome, type AbSide, runAb } from '../engine/run-ab.js';
import { assertUsableFolder } from '../files/paths.js';
import { LambdaGateway } from '../lambda/gateway.js';
import { terminalText } from '../report/escape.js';
import { explainAwsError } from './aws.js';
import { gate, gateSettingsFromFlags } from './compare.js';
import type { CliIo } from './io.js';
import type { AbFlags } from './options/ab.js';
import { progressReporter } from './progress.js';
import { openTarget } from './target.js';

interface AbJob {
  ab: AbConfig;
  target: TargetConfig;
  gate: GateSettings;
  json: boolean;
  out?: string | undefined;
}

/** tune ab: check every input → measure A and B interleaved → gate B against A → exit code. */
export async function runCommand(flags: AbFlags, io: CliIo): Promise<number> {
  const job = prepareAb(flags, io);
  const target = await openTarget(job.target, io);
  try {
    const outcome = await measureBoth(job, target, io);
    if (outcome.a.run.stoppedBy !== undefined)
      throw userError('INCOMPLETE_RUN', { which: 'A/B run', why: 'it was interrupted', instead: 'the gate does not judge it' });
    io.stderr.write(describeSides(outcome));
    if (job.out !== undefined) writeSides(outcome, job.out);
    return gate(outcome.a, outcome.b, job.gate, { stdout: io.stdout, json: job.json }, { pairs: outcome.pairs, ownPrices: true });
  } catch (error) {
    throw explainAwsError(error, { functionName: job.ab.a.functionName, region: target.region, profile: target.profile }) ?? error;
  } finally {
    await target.close();
  }
}

function prepareAb(flags: AbFlags, io: CliIo): AbJob {
  const config = findConfigFile(flags.config, io.cwd);
  const functionName = required(flags.function, '--function', 'Name the function whose versions are compared');
  const a = side(functionName, required(flags.a, '--a', 'Name the version or alias to compare against'));
  const b = side(flags.functionB ?? functionName, required(flags.b, '--b', 'Name the version or alias to judge'));
  const job: AbJob = {
    ab: {
      ...workloadFromFlags(flags, io.cwd),
      a,
      b,
      prices: pricesFromFlags({ billInit: true }),
      selection: { strategy: 'balanced', weight: 0.5, percentile: 95 },
    },
    target: targetConfigFromFlags(flags, config, io.cwd, io.env),
    gate: gateSettingsFromFlags(flags, io),
    json: flags.json,
    out: flags.out === undefined ? undefined : path.resolve(io.cwd, flags.out),
  };
  if (job.out !== undefined) assertUsableFolder('the output folder (--out)', job.out);
  if (a.functionName === b.functionName && a.qualifier === b.qualifier) {
    throw userError('FLAG_INVALID', {
      flag: '--b',
      problem: `names the same version as --a (${a.qualifier}).`,
      hint: 'Compare two different versions or aliases, or use --function-b.',
    });
  }
  return job;
}

function required(value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value.trim() === '')
    throw userError('FLAG_MISSING', { flag, what, example: 'tune ab --function hasher --a live --b 14 --chunks 10' });
  return value;
}

const NAME = /^[a-zA-Z0-9_:-]{1,140}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/;

function side(functionName: string, qualifier: string): AbSide {
  if (!NAME.test(functionName))
    throw userError('FLAG_INVALID', {
      flag: '--function',
      problem: `"${functionName}" is not a function name or ARN.`,
      hint: 'Use names like hasher or ARNs.',
    });
  if (!QUALIFIER.test(qualifier)) {
    throw userError('FLAG_INVALID', {
      flag: '--a/--b',
      problem: `"${qualifier}" is not a version or alias.`,
      hint: 'A version number (12), an alias (live) or $LATEST.',
    });
  }
  return { functionName, qualifier };
}

async function measureBoth(job: AbJob, target: Awaited<ReturnType<typeof openTarget>>, io: CliIo): Promise<AbOutcome> {
  const local = target.kind === 'local';
  const gateway = new LambdaGateway(target.lambda, target.logs, { logWaitMs: local ? 2000 : 30_000, logPollMs: local ? 100 : 1000 });
  const progress = progressReporter(io);
  const abort = new AbortController();
  const stopListening = io.onInterrupt(() => {
    abort.abort();
  });
  try {
    return await runAb(job.ab, { gateway, target, onEvent: progress.onEvent, signal: abort.signal });
  } finally {
    stopListening();
    progress.done();
  }
}

/** Says what was compared: each side's version and the memory it ran at. */
function describeSides(outcome: AbOutcome): string {
  const line = (which: string, s: AbOutcome['snapshots']['a'], label: string) =>
    `${which}: ${terminalText(label)} (version ${terminalText(s.version)}) at ${s.memoryMb} MB, ${s.architecture}`;
  const a = outcome.a.functions[0]?.name ?? '';
  const b = outcome.b.functions[0]?.name ?? '';
  return `${line('A', outcome.snapshots.a, a)}\n${line('B', outcome.snapshots.b, b)}\nInterleaved in pairs of random order, so drift of the host touches both alike.\n`;
}

function writeSides(outcome: AbOutcome, out: string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'a.json'), `${JSON.stringify(outcome.a, null, 2)}\n`);
  writeFileSync(path.join(out, 'b.json'), `${JSON.stringify(outcome.b, null, 2)}\n`);
}
