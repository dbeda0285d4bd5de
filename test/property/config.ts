import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sectionOf } from '../../src/config/config-file.js';
import { loadGateSettings } from '../../src/config/gate-config.js';
import { type LocalSection, parseLocalSection } from '../../src/config/local-config.js';
import { UserError } from '../../src/errors.js';
import { describeRule, parseRule, type Rule, type Statistic } from '../../src/gate/rules.js';
import { anyText, holds, mostly, numberishText, unlessExpected } from './check.js';

const DIR = '/project';
const FILE = '/project/tune.config.json';
/** No gate flags (built apart from GateFlags, so flags added to it later still check). */
const flags = (rule: string[] = [], confidence?: string) => ({ rule, confidence, verbose: false, allowInconclusive: false });
const NO_FLAGS = flags();
const STATISTICS: readonly Statistic[] = ['p50', 'p90', 'p95', 'p99', 'mean'];

const userErrorOf =
  (...codes: string[]) =>
  (error: unknown): boolean =>
    error instanceof UserError && codes.includes(error.code);

/** A value that is sometimes what the field wants and otherwise any JSON. */
const either = <T>(valid: fc.Arbitrary<T>) => mostly(valid, fc.jsonValue({ maxDepth: 2 }));
const optionalFields = <T extends Record<string, unknown>>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(fields, { requiredKeys: [] });

const functionName = fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/);
const handler = fc.stringMatching(/^[a-z./]{0,12}[a-z]\.[A-Za-z_$][\w$]{0,8}$/);

/** A `local` section close to valid: its fields known, each either right or any JSON, so both sides of every check are met. */
const localSectionish = optionalFields({
  region: either(fc.constantFrom('us-east-1', 'eu-west-1')),
  functions: either(
    fc.array(
      optionalFields({
        name: either(functionName),
        handler: either(handler),
        runtime: either(fc.constantFrom('nodejs20.x', 'python3.12')),
        memoryMb: either(fc.integer({ min: 0, max: 20_000 })),
        timeoutS: either(fc.integer({ min: 0, max: 1000 })),
        environment: either(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))),
        logFormat: either(fc.constantFrom('Text', 'JSON')),
        architecture: either(fc.constantFrom('x86_64', 'arm64')),
        reservedConcurrency: either(fc.integer({ min: -1, max: 100 })),
      }),
      { maxLength: 4 },
    ),
  ),
  s3: either(optionalFields({ directory: either(fc.constantFrom('data', '/tmp/s3', '../s3')), buckets: either(fc.array(fc.jsonValue({ maxDepth: 2 }))) })),
  limits: either(
    optionalFields({ cpu: either(fc.constantFrom('auto', 'cgroup', 'throttle', 'off')), maxEnvironments: either(fc.integer({ min: 0, max: 300 })) }),
  ),
});

/** What a parsed local section promises: every bound of its schema, unique names, absolute paths. */
function expectSoundLocal(section: LocalSection): void {
  const names = (section.functions ?? []).map((fn) => fn.name);
  expect(new Set(names).size).toBe(names.length);
  for (const fn of section.functions ?? []) {
    expect(fn.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(path.isAbsolute(fn.handler)).toBe(true);
    expect(Number.isInteger(fn.memoryMb) && fn.memoryMb >= 128 && fn.memoryMb <= 10_240).toBe(true);
    expect(Number.isInteger(fn.timeoutS) && fn.timeoutS >= 1 && fn.timeoutS <= 900).toBe(true);
  }
  if (section.s3.directory !== undefined) expect(path.isAbsolute(section.s3.directory)).toBe(true);
  expect(['auto', 'cgroup', 'throttle', 'off']).toContain(section.limits.cpu);
  expect(section.limits.maxEnvironments).toBeGreaterThanOrEqual(1);
}

/** What a rule object of the gate section means. */
interface RuleObject {
  metric: string;
  statistic?: Statistic;
  increasePercent?: number;
  decreasePercent?: number;
  limit?: number;
  level?: 'warn' | 'error';
  scope?: 'all' | 'recommended';
}

/** Any rule the gate section can hold as an object, with the Rule it stands for. */
const ruleObject: fc.Arbitrary<{ object: RuleObject; rule: Rule }> = fc
  .record({
    metric: fc.oneof(
      fc.constantFrom('duration', 'cost', 'maxMemory', 'errorRate', 'coldStart'),
      fc.stringMatching(/^[A-Za-z_][\w.-]{0,10}$/).map((n) => `timing:${n}`),
    ),
    statistic: fc.option(fc.constantFrom(...STATISTICS), { nil: undefined }),
    threshold: fc.oneof(
      fc.double({ min: 0, minExcluded: true, noNaN: true, noDefaultInfinity: true }).map((v) => ({ key: 'increasePercent' as const, v })),
      fc.double({ min: 0, minExcluded: true, noNaN: true, noDefaultInfinity: true }).map((v) => ({ key: 'decreasePercent' as const, v })),
      fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((v) => ({ key: 'limit' as const, v })),
    ),
    level: fc.option(fc.constantFrom('warn' as const, 'error' as const), { nil: undefined }),
    scope: fc.option(fc.constantFrom('all' as const, 'recommended' as const), { nil: undefined }),
  })
  .filter(({ metric, threshold }) => threshold.key !== 'decreasePercent' || metric.startsWith('timing:'))
  .map(({ metric, statistic, threshold, level, scope }) => ({
    object: {
      metric,
      [threshold.key]: threshold.v,
      ...(statistic === undefined ? {} : { statistic }),
      ...(level === undefined ? {} : { level }),
      ...(scope === undefined ? {} : { scope }),
    },
    rule: {
      metric: metric as Rule['metric'],
      statistic: statistic ?? 'p50',
      worse: threshold.key === 'decreasePercent' ? 'decrease' : 'increase',
      threshold: threshold.key === 'limit' ? { kind: 'absolute', limit: threshold.v } : { kind: 'relative', percent: threshold.v },
      level: level ?? 'error',
      scope: scope ?? 'all',
    },
  }));

/** A `gate` section close to valid. */
const gateSectionish = optionalFields({
  rules: either(
    fc.array(
      fc.oneof(
        ruleObject.map((r) => r.object),
        anyText(30),
        fc.constantFrom('cost > 5%', 'duration:p95 > 10% warn'),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      { maxLength: 4 },
    ),
  ),
  confidence: either(fc.double({ min: 0, max: 1.2, noNaN: true })),
});

function expectSoundGate(rules: readonly Rule[], confidence: number): void {
  for (const rule of rules) expect(parseRule(describeRule(rule)).threshold).toEqual(rule.threshold);
  expect(confidence >= 0.5 && confidence < 1).toBe(true);
}

export function configProperties(): void {
  describe('the config file', () => {
    it('any JSON as the local section gives a sound section or a CONFIG_INVALID UserError, and is left as it was', () => {
      holds(
        fc.property(fc.oneof(fc.jsonValue(), localSectionish), (raw) => {
          const before = structuredClone(raw);
          const section = unlessExpected(() => parseLocalSection(raw, DIR, FILE), userErrorOf('CONFIG_INVALID'));
          if (section !== undefined) expectSoundLocal(section);
          expect(raw).toEqual(before);
        }),
        8_000,
      );
    });

    it('a valid local section keeps its values, fills the defaults and resolves paths against the config folder', () => {
      const fn = fc.record({ name: functionName, handler, memoryMb: fc.integer({ min: 128, max: 10_240 }), timeoutS: fc.integer({ min: 1, max: 900 }) });
      holds(
        fc.property(
          fc.uniqueArray(fn, { selector: (f) => f.name, minLength: 1, maxLength: 4 }),
          fc.option(fc.constantFrom('data', '../s3'), { nil: undefined }),
          (functions, directory) => {
            const section = parseLocalSection({ functions, s3: directory === undefined ? {} : { directory } }, DIR, FILE);
            expect(section.functions).toEqual(
              functions.map((f) => ({
                ...f,
                handler: path.resolve(DIR, f.handler),
                runtime: 'nodejs20.x',
                description: '',
                environment: {},
                logFormat: 'Text',
                architecture: 'x86_64',
              })),
            );
            expect(section.s3.directory).toBe(directory === undefined ? undefined : path.resolve(DIR, directory));
            expect(section.limits).toEqual({ cpu: 'auto', maxEnvironments: 32 });
          },
        ),
        3_000,
      );
    });

    it('any JSON as the gate section gives sound settings or a CONFIG_INVALID or BAD_RULE UserError', () => {
      holds(
        fc.property(fc.oneof(fc.jsonValue(), gateSectionish), (gate) => {
          const settings = unlessExpected(() => loadGateSettings(NO_FLAGS, { file: FILE, raw: { gate } }, DIR, {}), userErrorOf('CONFIG_INVALID', 'BAD_RULE'));
          if (settings !== undefined) expectSoundGate(settings.rules, settings.confidence);
        }),
        8_000,
      );
    });

    it('rules written as objects in the gate section mean what they say, any positive number included', () => {
      holds(
        fc.property(fc.array(ruleObject, { minLength: 1, maxLength: 4 }), (rules) => {
          const settings = loadGateSettings(NO_FLAGS, { file: FILE, raw: { gate: { rules: rules.map((r) => r.object) } } }, DIR, {});
          expect(settings.rules).toEqual(rules.map((r) => r.rule));
        }),
        5_000,
      );
    });

    it('any --confidence and --rule flags give sound settings or a FLAG_INVALID or BAD_RULE UserError', () => {
      holds(
        fc.property(
          fc.option(fc.oneof(numberishText, anyText(10)), { nil: undefined }),
          fc.array(fc.oneof(anyText(20), fc.constantFrom('cost > 5%')), { maxLength: 2 }),
          (confidence, rule) => {
            const settings = unlessExpected(() => loadGateSettings(flags(rule, confidence), undefined, DIR, {}), userErrorOf('FLAG_INVALID', 'BAD_RULE'));
            if (settings !== undefined) expectSoundGate(settings.rules, settings.confidence);
          },
        ),
        4_000,
      );
    });

    it('any document gives its section (an empty one when absent) or, when it is not an object, a CONFIG_INVALID UserError', () => {
      holds(
        fc.property(
          fc.oneof(fc.jsonValue(), fc.record({ local: fc.jsonValue(), gate: fc.jsonValue() }, { requiredKeys: [] })),
          fc.constantFrom('local', 'gate'),
          (raw, name) => {
            const section = unlessExpected(() => sectionOf(raw, name, FILE), userErrorOf('CONFIG_INVALID'));
            const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
            expect(section === undefined).toBe(!isObject);
            if (isObject) expect(section).toEqual((raw as Record<string, unknown>)[name] ?? {});
          },
        ),
        4_000,
      );
    });

    it('counterexample the properties found: a rule object with a tiny or huge percent was refused as unreadable', () => {
      const rules = [
        { metric: 'duration', increasePercent: 5e-324 },
        { metric: 'cost', limit: 1e21 },
      ];
      const settings = loadGateSettings(NO_FLAGS, { file: FILE, raw: { gate: { rules } } }, DIR, {});
      expect(settings.rules.map((rule) => rule.threshold)).toEqual([
        { kind: 'relative', percent: 5e-324 },
        { kind: 'absolute', limit: 1e21 },
      ]);
    });
  });
}
