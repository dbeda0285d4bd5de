import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * The package as a user gets it: packed from the build (npm test builds first), installed into an
 * empty project, and used there through both commands, the import and the type declarations.
 */
const work = mkdtempSync(path.join(tmpdir(), 'lambda-tune-pack-'));
const consumer = path.join(work, 'consumer');
/**
 * The environment of a user's shell: none of the npm_* variables of the npm that may be running
 * this suite (under `npm exec -c`, npm_config_call would make the npx below run that instead).
 */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
const env = { ...userEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
let packed: { filename: string; files: { path: string }[] };

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: consumer, env, encoding: 'utf8', timeout: 120_000 });
}

/** What a program said on stderr, less npm's own warnings about the machine's npm configuration. */
function withoutNpmWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('npm warn '))
    .join('\n')
    .trim();
}

beforeAll(() => {
  // The build is already there: packing must not build again (prepare), nor depend on what else is in the work tree.
  const [info] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as (typeof packed)[];
  if (info === undefined) throw new Error('npm pack described no package');
  packed = info;
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The dependencies are in npm's cache after the project's own install; the registry is asked only for what is not.
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed.filename)], consumer);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the package', () => {
  it('holds the build, its declarations, the schema, examples, templates and the Python runtime, and not the sources', () => {
    const files = packed.files.map((f) => f.path);
    for (const file of [
      'bin/tune.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli-bundle/main.js',
      'schemas/tune-result.schema.json',
      'examples/hasher/index.mjs',
      'templates/iam-policy.cfn.json',
      'runtimes/python/bootstrap.py',
      'README.md',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.includes('__pycache__'))).toEqual([]);
  });

  it.each(['tune', 'lambda-tune'])('runs as %s', (bin) => {
    const result = run('npx', [bin, '--help']);
    expect(withoutNpmWarnings(result.stderr)).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--function');
    expect(result.stdout).toContain('--memory');
  });

  it('tunes from code: startPlatform, tune on the bundled hasher, stop', () => {
    const script = path.join(consumer, 'use.mjs');
    writeFileSync(
      script,
      [
        "import { startPlatform, tune } from 'lambda-tune';",
        'const platform = await startPlatform({ seedMb: 4 });',
        'try {',
        "  const result = await tune({ function: 'hasher', memory: [512], chunks: [1], invocations: 1, warmup: 0, local: platform, out: 'tuned' });",
        '  console.log(JSON.stringify({ sweetSpot: result.analysis.sweetSpot, samples: result.samples.length }));',
        '} finally {',
        '  await platform.stop();',
        '}',
      ].join('\n'),
    );
    const result = run(process.execPath, [script]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as { sweetSpot: { cellId: string } | null; samples: number };
    expect(printed.sweetSpot?.cellId).toMatch(/^hasher\/512MB\//);
    expect(printed.samples).toBeGreaterThanOrEqual(1);
  });

  it('exports its types: a consumer type-checks against the declarations, and misuse is an error', () => {
    writeFileSync(
      path.join(consumer, 'check.ts'),
      [
        "import { analyze, compare, startPlatform, tune, UserError, type TuneOptions, type TuneResult, type Platform } from 'lambda-tune';",
        "import schema from 'lambda-tune/schemas/tune-result.schema.json' with { type: 'json' };",
        '',
        "const options: TuneOptions = { function: ['a', 'b'], memory: [128, 256], chunks: '1,10', pricePerGbSecond: 0.00002, strategy: 'cost' };",
        'const platform: Platform = await startPlatform({ functions: [{ name: "f", handler: "./f.handler" }] });',
        'const result: TuneResult = await tune({ ...options, local: platform });',
        'const memoryMb: number = result.analysis.cells[0]!.memoryMb;',
        "const again: TuneResult = await analyze(result, { strategy: 'speed' });",
        'const passed: boolean = compare(result, again).passed;',
        'const fixable: string = new UserError("BAD_USAGE", "m", "h", 2).hint;',
        'const id: unknown = schema.$id;',
        'console.log(memoryMb, passed, fixable, id);',
        '// @ts-expect-error: the function to tune is required',
        'await tune({ memory: [128] });',
        '// @ts-expect-error: a strategy is one of three',
        "await analyze('m.csv', { strategy: 'cheapest' });",
      ].join('\n'),
    );
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          resolveJsonModule: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        },
        files: ['check.ts'],
      }),
    );
    const result = run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
