/**
 * Start-up cost of the CLI: wall time of `tune --help`, `tune compare A B` and `tune analyze` on a
 * small CSV, each as a ratio to `node -e 0` measured in the same rounds (the commands take turns,
 * so a change in the host's speed touches all alike). Targets: --help ≤ 2×, compare ≤ 3×.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { quantileSorted } from 'simple-statistics';
import { packageRoot } from '../src/package-root.js';

const ROUNDS = 21;
const TARGETS: Record<string, number | undefined> = { '--help': 2, compare: 3 };

export function startupBench(): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-startup-'));
  const csv = path.join(dir, 'small.csv');
  const rows = Array.from({ length: 30 }, (_, i) => `${128 * (1 + (i % 3))},${10 + i},${11 + i},50`);
  writeFileSync(csv, ['memoryMb,durationMs,billedDurationMs,maxMemoryUsedMb', ...rows].join('\n'));
  const bin = path.join(packageRoot(), 'bin', 'tune.js');
  const setup = spawnSync(process.execPath, [bin, 'analyze', csv, '--out', dir], { encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`tune analyze failed while preparing the start-up bench: ${setup.stderr}`);
  const result = path.join(dir, 'result.json');
  const commands: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    '--help': [bin, '--help'],
    compare: [bin, 'compare', result, result],
    analyze: [bin, 'analyze', csv],
  };
  const times = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(commands)) times.get(name)?.push(wallMs(args));
  }
  const medianOf = (name: string) =>
    quantileSorted(
      [...(times.get(name) ?? [])].sort((a, b) => a - b),
      0.5,
    );
  const nodeMs = medianOf('node -e 0');
  console.log(`Start-up (median of ${ROUNDS} rounds, commands in turn)`);
  let failed = false;
  for (const name of Object.keys(commands)) {
    const ratio = medianOf(name) / nodeMs;
    const target = TARGETS[name];
    const verdict = target === undefined ? '' : ratio <= target ? `  ≤ ${target}× ok` : `  > ${target}× MISSED`;
    if (target !== undefined && ratio > target) failed = true;
    console.log(`  ${name.padEnd(10)} ${medianOf(name).toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×${verdict}`);
  }
  console.log('');
  return failed;
}

function wallMs(args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')} exited ${String(run.status)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}
