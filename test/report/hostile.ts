import { analyze } from '../../src/analyze/analyze.js';
import type { Sample, TuneResult } from '../../src/result/types.js';
import { twoFunctionResult } from '../helpers/results.js';

/** A name that tries everything: a backtick, a pipe, HTML, emphasis, a link, an ANSI colour, a new line with a heading, a bidi override. */
export const HOSTILE = 'f`|<img src=x onerror=alert(1)>*_[x](javascript:alert(1))\u001b[31m\n# H\u202e';
export const HOSTILE_ERROR = 'Runtime.`Boom`|<script>alert(1)</script>\r\n| x |';
export const HOSTILE_TIMING = 'read<b>|`ms`\u009b2J';

/** The words an ordinary result uses where the hostile one has its strings. */
export interface Words {
  fn: string;
  errorType: string;
  timing: string;
  region: string;
  note: string;
}

export const ORDINARY: Words = { fn: 'hasher', errorType: 'Runtime.OutOfMemory', timing: 'readMs', region: 'us-east-1', note: 'A note.' };
export const HOSTILE_WORDS: Words = { fn: HOSTILE, errorType: HOSTILE_ERROR, timing: HOSTILE_TIMING, region: `eu<i>|\u001b]0;x\u0007`, note: `# ${HOSTILE}` };

/**
 * The two-build result of test/helpers with its functions' names, error type, timing name,
 * region, rule and a note replaced by the given words, analysed again; the same numbers, so the
 * same cells, tables and sweet spot whatever the words.
 */
export function resultWith(words: Words): TuneResult {
  const base = twoFunctionResult();
  const name = (fn: string) => (fn === 'hasher' ? words.fn : `${words.fn}-arm`);
  const samples = base.samples.map((s): Sample => ({
    ...s,
    function: name(s.function),
    ...(s.errorType === undefined ? {} : { errorType: words.errorType }),
    timings: Object.fromEntries(Object.values(s.timings).map((ms) => [words.timing, ms])),
  }));
  const functions = base.functions.map((f) => ({ ...f, name: name(f.name), prices: { ...f.prices, region: words.region, source: words.note } }));
  const plan = { ...base.plan, functions: base.plan.functions.map(name) };
  const analysis = analyze(samples, plan, functions, { strategy: 'balanced', weight: 0.5, percentile: 95 });
  const sweetSpot = analysis.sweetSpot === null ? null : { ...analysis.sweetSpot, rule: `${analysis.sweetSpot.rule} ${words.note}`, notes: [words.note] };
  return {
    ...base,
    run: { ...base.run, target: 'aws', region: words.region, profile: words.fn, payload: { [words.fn]: words.errorType } },
    plan,
    functions,
    samples,
    analysis: { ...analysis, sweetSpot },
  };
}
