import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type InputsModule, loadInputs, loadResults, type ResultsModule, ROOT } from './scripts.js';

// No YAML parser is among the dependencies, and action.yml is not worth one: these read the few
// shapes it is written in (two-space indentation, one key a line) and check what must hold.

const ACTION = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

interface Line {
  indent: number;
  text: string;
}

function linesOf(text: string): Line[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
}

/** The lines under a key that starts at `from`: every following line indented deeper. */
function block(lines: readonly Line[], from: number): Line[] {
  const start = lines[from]!.indent;
  const end = lines.findIndex((line, i) => i > from && line.indent <= start);
  return lines.slice(from + 1, end === -1 ? undefined : end);
}

/** The keys directly under a top-level section (inputs, outputs), each with its own lines. */
function section(name: string): Map<string, Line[]> {
  const lines = linesOf(ACTION);
  const at = lines.findIndex((line) => line.indent === 0 && line.text === `${name}:`);
  const body = block(lines, at);
  const keyIndent = body[0]!.indent;
  return new Map(body.flatMap((line, i) => (line.indent === keyIndent ? [[line.text.replace(/:$/, ''), block(body, i)] as const] : [])));
}

function field(lines: readonly Line[], key: string): string | undefined {
  return lines
    .find((line) => line.text.startsWith(`${key}:`))
    ?.text.slice(key.length + 1)
    .trim();
}

let inputs: InputsModule;
let results: ResultsModule;

beforeAll(async () => {
  inputs = await loadInputs();
  results = await loadResults();
});

describe('action.yml', () => {
  it('is a composite action whose run step is the script in this repository', () => {
    expect(ACTION).toMatch(/^runs:\n {2}using: composite\n {2}steps:\n/m);
    expect(ACTION).toMatch(/^name: lambda-tune$/m);
    expect(ACTION).toMatch(/^description: \S/m);
    expect(ACTION).toContain('run: exec node "$GITHUB_ACTION_PATH/scripts/action/run.mjs"');
    expect(existsSync(path.join(ROOT, 'scripts', 'action', 'run.mjs'))).toBe(true);
    expect(ACTION).toContain('uses: actions/upload-artifact@v4');
    expect(ACTION).not.toMatch(/\t/);
  });

  it('declares every input the script reads, and the script reads every input it declares', () => {
    const declared = [...section('inputs').keys()];
    expect(declared.sort()).toEqual(inputs.INPUTS.map((input) => input.name).sort());
    for (const [name, lines] of section('inputs')) {
      expect(field(lines, 'description'), name).toMatch(/\S/);
      expect(field(lines, 'required'), name).toBe('false');
    }
  });

  it('passes each input to the run step as INPUT_<NAME> in env, and nowhere as shell text', () => {
    const passed = [...ACTION.matchAll(/^ {8}(INPUT_[A-Z_]+): \$\{\{ inputs\.([\w-]+) \}\}$/gm)].map(([, variable, name]) => ({ variable, name }));
    expect(passed.map(({ name }) => name).sort()).toEqual([...section('inputs').keys()].sort());
    for (const { variable, name } of passed) expect(variable).toBe(inputs.envName(name!));
    // Those are the only places an input is read: an expression in a run: block would be pasted into the shell.
    expect(ACTION.match(/\$\{\{\s*inputs\./g)).toHaveLength(passed.length);
    const lines = linesOf(ACTION);
    const scripts = lines.flatMap((line, i) => (line.text === 'run: |' ? block(lines, i) : line.text.startsWith('run:') ? [line] : []));
    expect(scripts.length).toBeGreaterThan(0);
    for (const line of scripts) expect(line.text).not.toContain('${{');
  });

  it("maps each output to the run step's output of that name, which the script writes", () => {
    const outputs = section('outputs');
    expect(outputs.size).toBeGreaterThan(0);
    for (const [name, lines] of outputs) {
      expect(field(lines, 'value'), name).toBe(`\${{ steps.run.outputs.${name} }}`);
      expect(field(lines, 'description'), name).toMatch(/\S/);
      expect(results.OUTPUTS).toContain(name);
    }
    for (const [, name] of ACTION.matchAll(/steps\.run\.outputs\.([\w-]+)/g)) expect(results.OUTPUTS).toContain(name);
    for (const name of ['function', 'memory', 'params', 'cost-per-million', 'median-ms', 'p95-ms', 'verdict', 'result', 'report'])
      expect(outputs.has(name), name).toBe(true);
  });
});

describe('the example workflows', () => {
  const examples = readdirSync(path.join(ROOT, 'examples', 'ci')).filter((file) => file.endsWith('.yml'));

  it.each(examples)('%s gives the action only inputs it declares and reads only outputs it declares', (file) => {
    const text = readFileSync(path.join(ROOT, 'examples', 'ci', file), 'utf8');
    const lines = linesOf(text);
    const declaredInputs = new Set(section('inputs').keys());
    const declaredOutputs = new Set(section('outputs').keys());
    const steps = lines.flatMap((line, i) => (/^(- )?uses: (\.\/|OWNER\/lambda-tune@)/.test(line.text) ? [i] : []));
    expect(steps.length, 'a step that uses the action').toBeGreaterThan(0);
    for (const at of steps) {
      // The step's other keys sit at the indentation of its `uses:` key.
      const keyIndent = lines[at]!.indent + (lines[at]!.text.startsWith('- ') ? 2 : 0);
      const start = lines.findLastIndex((line, i) => i <= at && line.text.startsWith('- ') && line.indent === keyIndent - 2);
      const end = lines.findIndex((line, i) => i > start && line.indent < keyIndent);
      const step = lines.slice(start, end === -1 ? undefined : end);
      const withAt = step.findIndex((line) => line.text === 'with:');
      const given = block(step, withAt).filter((line) => line.indent === keyIndent + 2);
      for (const line of given) expect(declaredInputs, line.text).toContain(line.text.split(':')[0]);
      const id = step.find((line) => line.indent === keyIndent && line.text.startsWith('id: '))?.text.slice(4);
      if (id === undefined) continue;
      for (const [, name] of text.matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([\\w-]+)`, 'g'))) expect(declaredOutputs).toContain(name);
    }
  });
});
