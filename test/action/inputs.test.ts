import { beforeAll, describe, expect, it } from 'vitest';
import { type InputsModule, loadInputs, loadWorkflowCommands, type WorkflowCommandsModule } from './scripts.js';

let inputs: InputsModule;
let commands: WorkflowCommandsModule;

beforeAll(async () => {
  inputs = await loadInputs();
  commands = await loadWorkflowCommands();
});

/** The action's inputs as the composite step passes them: every one present, the unset ones empty. */
function plan(given: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(given).map(([name, value]) => [inputs.envName(name), value]));
  return inputs.planRun(inputs.readInputs(env), '/work');
}

describe('the command line the action builds from its inputs', () => {
  it('tune: every input as its flag, params and rules a flag per line, extra-args last', () => {
    const run = plan({
      function: 'resize-arm, resize-x86\n',
      memory: '512,1024',
      chunks: '10,20',
      params: 'mode=serial,threads\n\n  workers=2,8  \n',
      baseline: 'perf/base.json',
      rules: 'duration:p95 > 10% error\ncost > 5% warn',
      region: 'eu-west-1',
      invocations: '20',
      local: 'false',
      out: 'results',
      apply: 'true',
      'extra-args': `--payload '{"bucket": "b"}' --strategy cost --rule="errorRate > 0 error" --confidence 0.99`,
    });
    expect(run).toMatchObject({ mode: 'tune', json: false, out: '/work/results', baseline: '/work/perf/base.json', resultFile: '/work/results/result.json' });
    expect(run.argv).toEqual([
      '--function=resize-arm,resize-x86',
      '--memory=512,1024',
      '--chunks=10,20',
      '--param=mode=serial,threads',
      '--param=workers=2,8',
      '--invocations=20',
      '--region=eu-west-1',
      '--out=/work/results',
      '--baseline=/work/perf/base.json',
      '--rule=duration:p95 > 10% error',
      '--rule=cost > 5% warn',
      '--apply',
      '--yes',
      '--payload',
      '{"bucket": "b"}',
      '--strategy',
      'cost',
      '--rule=errorRate > 0 error',
      '--confidence',
      '0.99',
    ]);
    // What the second, JSON-only gate needs to judge as the run did.
    expect(run.gateFlags).toEqual(['--rule=duration:p95 > 10% error', '--rule=cost > 5% warn', '--rule=errorRate > 0 error', '--confidence', '0.99']);
    expect(run.artifactName).toBe('lambda-tune-resize-arm-resize-x86');
  });

  it('tune with nothing but the required inputs: the defaults are lambda-tune’s, and nothing is gated', () => {
    const run = plan({ mode: '', function: 'hasher', memory: '512', local: 'true' });
    expect(run.argv).toEqual(['--function=hasher', '--memory=512', '--local', '--out=/work/tune-results']);
    expect(run.baseline).toBeUndefined();
  });

  it('ab: the versions, the verdicts as JSON, both sides written to out', () => {
    const run = plan({ mode: 'ab', function: 'hasher', a: 'live', b: '$LATEST', chunks: '10', rules: 'duration > 5% error', out: 'ab' });
    expect(run.argv).toEqual(['ab', '--function=hasher', '--a=live', '--b=$LATEST', '--chunks=10', '--out=/work/ab', '--rule=duration > 5% error', '--json']);
    expect(run).toMatchObject({ json: true, resultFile: '/work/ab/b.json', artifactName: 'lambda-tune-ab-hasher' });
  });

  it('compare: the two results as absolute paths (a path starting with "-" cannot pass for a flag)', () => {
    const run = plan({ mode: 'compare', baseline: '-odd/base.json', current: 'now.json', 'artifact-name': 'gate-1' });
    expect(run.argv).toEqual(['compare', '/work/-odd/base.json', '/work/now.json', '--json']);
    expect(run).toMatchObject({ json: true, baseline: '/work/-odd/base.json', resultFile: '/work/now.json', artifactName: 'gate-1' });
  });

  it.each([
    [{ mode: 'deploy' }, 'mode: "deploy" is not a mode of lambda-tune; use tune, ab or compare.'],
    [{ function: 'f' }, 'memory: mode tune needs it (memory: 512,1024,2048).'],
    [{ mode: 'ab', function: 'f', a: 'live' }, 'b: mode ab needs it (b: 14, the version or alias to judge).'],
    [
      { mode: 'compare', baseline: 'b.json', current: 'c.json', local: 'true' },
      'local: has no effect with mode compare; remove it (it applies to mode tune, ab).',
    ],
    [{ mode: 'ab', function: 'f', a: '1', b: '2', apply: 'true' }, 'apply: has no effect with mode ab; remove it (it applies to mode tune).'],
    [{ function: 'f', memory: '128', local: 'yes' }, 'local: "yes" is neither true nor false.'],
    [{ function: 'f', memory: '128', rules: 'cost > 5%' }, 'rules: a tune run gates only against a baseline; set baseline too, or remove rules.'],
    [{ function: 'f', memory: '128', 'extra-args': '--payload \'{"a": 1}' }, "extra-args: a ' quote is not closed."],
    [{ function: 'f', memory: '128', 'artifact-name': 'my/reports' }, 'artifact-name: "my/reports" may hold only letters, digits, ".", "-" and "_".'],
  ])('refuses %j: %s', (given, message) => {
    expect(() => plan(given)).toThrow(new inputs.InputError(message));
  });
});

describe('extra-args split as a shell splits words, without a shell', () => {
  it.each([
    ['', []],
    ['  --a 1\n--b\t2 ', ['--a', '1', '--b', '2']],
    [`--rule 'duration > 10% error' --x "a \\"b\\" \\\\ c"`, ['--rule', 'duration > 10% error', '--x', 'a "b" \\ c']],
    [`--payload='{"k": "$HOME"}' ''`, ['--payload={"k": "$HOME"}', '']],
    ['a\\ b $(rm -rf /) `x` ;|&', ['a b', '$(rm', '-rf', '/)', '`x`', ';|&']],
  ])('%j → %j', (text, args) => {
    expect(inputs.splitArgs(text)).toEqual(args);
  });
});

describe('workflow commands', () => {
  it('escapes annotation messages and properties as the runner reads them', () => {
    expect(commands.escapeData('50% faster\r\nreally: yes, a,b')).toBe('50%25 faster%0D%0Areally: yes, a,b');
    expect(commands.escapeProperty('p50: 10%, error\n')).toBe('p50%3A 10%25%2C error%0A');
    // A terminal escape or a bidi override from a function's name is shown, not obeyed.
    expect(commands.escapeData('f\u001b[31m/\u202e1')).toBe('f\\u001b[31m/\\u202e1');
    expect(commands.annotation('error', 'a\nb', { file: 'perf/x,y.json', title: 'lambda-tune: cost > 5%', line: undefined })).toBe(
      '::error file=perf/x%2Cy.json,title=lambda-tune%3A cost > 5%25::a%0Ab\n',
    );
    expect(commands.annotation('warning', 'plain')).toBe('::warning::plain\n');
  });

  it('writes each output in the delimiter form, which holds newlines and no value can break out of', () => {
    expect(commands.outputEntry('params', '{"a":1}\nmemory=1', 'EOF_1')).toBe('params<<EOF_1\n{"a":1}\nmemory=1\nEOF_1\n');
    expect(commands.outputEntry('x', 'y')).toMatch(/^x<<(ghadelimiter_[\w-]+)\ny\n\1\n$/);
    expect(() => commands.outputEntry('report', 'a\nEOF_1\nverdict<<X', 'EOF_1')).toThrow(/contains its delimiter/);
  });
});
