// The GitHub Action's inputs and the lambda-tune command line they make. Pure: the environment
// goes in, the command comes out, and a mistake in the inputs is an InputError saying what to do.
import path from 'node:path';

export const MODES = ['tune', 'ab', 'compare'];

const TUNE = ['tune'];
const MEASURING = ['tune', 'ab'];
const GATING = ['tune', 'compare'];

/**
 * Every input of action.yml: the modes it applies to, and whether a mode needs it. The composite
 * step hands each one over as INPUT_<NAME> (upper case, `-` as `_`); nothing else is read.
 */
export const INPUTS = [
  { name: 'mode', modes: MODES },
  { name: 'function', modes: MEASURING, requiredIn: MEASURING },
  { name: 'memory', modes: TUNE, requiredIn: TUNE },
  { name: 'chunks', modes: MEASURING },
  { name: 'params', modes: MEASURING },
  { name: 'a', modes: ['ab'], requiredIn: ['ab'] },
  { name: 'b', modes: ['ab'], requiredIn: ['ab'] },
  { name: 'baseline', modes: GATING, requiredIn: ['compare'] },
  { name: 'current', modes: ['compare'], requiredIn: ['compare'] },
  { name: 'rules', modes: MODES },
  { name: 'region', modes: MEASURING },
  { name: 'invocations', modes: MEASURING },
  { name: 'local', modes: MEASURING },
  { name: 'out', modes: MODES },
  { name: 'apply', modes: TUNE },
  { name: 'extra-args', modes: MODES },
  { name: 'artifact-name', modes: MODES },
];

/** A mistake in the action's inputs: the workflow has to change, nothing was run. */
export class InputError extends Error {}

export function envName(input) {
  return `INPUT_${input.toUpperCase().replaceAll('-', '_')}`;
}

/** Each input's value, trimmed; an input left empty is as good as not given. */
export function readInputs(env) {
  return Object.fromEntries(INPUTS.map(({ name }) => [name, (env[envName(name)] ?? '').trim()]));
}

/**
 * What to run for these inputs: the CLI's arguments, the folder it writes to, the files the
 * action reads afterwards, and whether the gate's verdicts come on stdout (`--json`).
 */
export function planRun(inputs, cwd) {
  const mode = inputs.mode === '' ? 'tune' : inputs.mode;
  if (!MODES.includes(mode)) throw new InputError(`mode: "${inputs.mode}" is not a mode of lambda-tune; use tune, ab or compare.`);
  checkModeInputs(inputs, mode);
  const out = path.resolve(cwd, inputs.out === '' ? 'tune-results' : inputs.out);
  const extra = splitArgs(inputs['extra-args']);
  const plan = { mode, out, artifactName: artifactName(inputs, mode) };
  const rules = lines(inputs.rules).map((rule) => `--rule=${rule}`);
  if (mode === 'compare') {
    const baseline = path.resolve(cwd, inputs.baseline);
    const current = path.resolve(cwd, inputs.current);
    return { ...plan, argv: ['compare', baseline, current, ...rules, '--json', ...extra], json: true, baseline, resultFile: current };
  }
  const measuring = [
    ...valueFlag('chunks', inputs.chunks),
    ...lines(inputs.params).map((p) => `--param=${p}`),
    ...valueFlag('invocations', inputs.invocations),
  ];
  const target = [...valueFlag('region', inputs.region), ...(flag(inputs, 'local') ? ['--local'] : [])];
  if (mode === 'ab') {
    const argv = ['ab', `--function=${inputs.function}`, `--a=${inputs.a}`, `--b=${inputs.b}`, ...measuring, ...target, `--out=${out}`, ...rules, '--json'];
    return { ...plan, argv: [...argv, ...extra], json: true, baseline: undefined, resultFile: path.join(out, 'b.json') };
  }
  const baseline = inputs.baseline === '' ? undefined : path.resolve(cwd, inputs.baseline);
  const gate = baseline === undefined ? [] : [`--baseline=${baseline}`, ...rules];
  const apply = flag(inputs, 'apply') ? ['--apply', '--yes'] : [];
  const argv = [`--function=${functions(inputs.function)}`, `--memory=${inputs.memory}`, ...measuring, ...target, `--out=${out}`, ...gate, ...apply, ...extra];
  return { ...plan, argv, json: false, baseline, resultFile: path.join(out, 'result.json'), gateFlags: [...rules, ...gateFlagsOf(extra)] };
}

function checkModeInputs(inputs, mode) {
  for (const { name, modes, requiredIn = [] } of INPUTS) {
    const given = inputs[name] !== '' && !(isBoolean(name) && inputs[name] === 'false');
    if (given && !modes.includes(mode)) throw new InputError(`${name}: has no effect with mode ${mode}; remove it (it applies to mode ${modes.join(', ')}).`);
    if (!given && requiredIn.includes(mode)) throw new InputError(`${name}: mode ${mode} needs it (${EXAMPLES[name]}).`);
  }
  if (mode === 'tune' && lines(inputs.rules).length > 0 && inputs.baseline === '')
    throw new InputError('rules: a tune run gates only against a baseline; set baseline too, or remove rules.');
}

const EXAMPLES = {
  function: 'function: my-function, or several comma separated',
  memory: 'memory: 512,1024,2048',
  a: 'a: live, the version or alias to compare against',
  b: 'b: 14, the version or alias to judge',
  baseline: 'baseline: perf/my-function-baseline.json',
  current: 'current: tune-results/result.json',
};

const BOOLEANS = new Set(['local', 'apply']);

function isBoolean(name) {
  return BOOLEANS.has(name);
}

function flag(inputs, name) {
  const value = inputs[name].toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`${name}: "${inputs[name]}" is neither true nor false.`);
}

function valueFlag(name, value) {
  return value === '' ? [] : [`--${name}=${value}`];
}

/** The functions as one comma separated list, whether the workflow wrote them on one line or several. */
function functions(text) {
  return text
    .split(/[\s,]+/)
    .filter((name) => name !== '')
    .join(',');
}

/** A multi-line input's lines, trimmed, blank ones left out. */
export function lines(text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The artifact the composite uploads `out` as: the input, or one named after what ran, which a matrix of functions keeps apart. */
function artifactName(inputs, mode) {
  const name = inputs['artifact-name'];
  if (name !== '') {
    if (!/^[\w.-]+$/.test(name)) throw new InputError(`artifact-name: "${name}" may hold only letters, digits, ".", "-" and "_".`);
    return name;
  }
  const what =
    mode === 'compare'
      ? 'compare'
      : functions(inputs.function)
          .replaceAll(',', '-')
          .replace(/[^\w.-]/g, '_');
  return mode === 'ab' ? `lambda-tune-ab-${what}` : `lambda-tune-${what}`;
}

/**
 * Splits extra-args into arguments as a shell would for words and quotes, without a shell:
 * whitespace separates, '…' keeps its text as is, "…" and a backslash escape one character.
 */
export function splitArgs(text) {
  const args = [];
  let current = null;
  let quote = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = null;
      else current += char;
    } else if (char === '\\' && i + 1 < text.length && (quote === null || '"\\'.includes(text[i + 1]))) {
      i += 1;
      current = (current ?? '') + text[i];
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== null) args.push(current);
      current = null;
    } else {
      current = (current ?? '') + char;
    }
  }
  if (quote !== null) throw new InputError(`extra-args: a ${quote} quote is not closed.`);
  if (current !== null) args.push(current);
  return args;
}

/** Of extra arguments, those that change the gate's verdicts, to give `tune compare` the same settings. */
function gateFlagsOf(args) {
  const picked = [];
  for (let i = 0; i < args.length; i += 1) {
    const match = /^--(rule|confidence|config)(=.*)?$/s.exec(args[i]);
    if (match === null) continue;
    picked.push(args[i]);
    if (match[2] === undefined && i + 1 < args.length) picked.push(args[(i += 1)]);
  }
  return picked;
}
