import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedMetrics, extractTimings, parseTimingPattern } from '../../src/parse/timings.js';
import { anyText, holds } from './check.js';

const metricName = fc.stringMatching(/^[A-Za-z][\w.-]{0,15}$/);

/** What a metric value in an EMF record means: a number, or the mean of a non-empty array of numbers. */
function meaning(value: unknown): number | undefined {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || !values.every((v): v is number => typeof v === 'number')) return undefined;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Number.isFinite(mean) ? mean : undefined;
}

/** An EMF record declaring some metrics, the document holding any JSON under their names (or nothing). */
const emfRecord = fc
  .tuple(
    fc.uniqueArray(metricName, { minLength: 1, maxLength: 5 }),
    fc.array(fc.oneof(fc.double(), fc.array(fc.double({ noDefaultInfinity: true }), { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }))),
  )
  .map(([names, values]) => {
    const doc: Record<string, unknown> = {
      _aws: {
        Timestamp: 1710408064716,
        CloudWatchMetrics: [{ Namespace: 'app', Dimensions: [['FunctionName']], Metrics: names.map((Name) => ({ Name, Unit: 'Milliseconds' })) }],
      },
    };
    names.forEach((name, i) => {
      if (i < values.length) doc[name] = values[i];
    });
    return { names, doc };
  });

/** JSON whose `_aws` part is any shape, to see nothing in it can throw. */
const emfShaped = fc.oneof(
  fc.jsonValue().map((aws) => JSON.stringify({ _aws: aws })),
  fc.jsonValue().map((directives) => JSON.stringify({ _aws: { CloudWatchMetrics: directives } })),
  fc.array(fc.jsonValue({ maxDepth: 2 })).map((metrics) => JSON.stringify({ _aws: { CloudWatchMetrics: [{ Metrics: metrics }] }, x: 1 })),
  anyText(100).map((text) => `"_aws"${text}`),
);

export function timingProperties(): void {
  describe('logged timings', () => {
    it('a timing logged on any number of lines reads as its last value, each name on its own', () => {
      const read = parseTimingPattern('read=read (?<value>[\\d.]+) ms');
      const hash = parseTimingPattern('hash=hashMs=(?<hash>\\d+(?:\\.\\d+)?)');
      const logged = fc.array(fc.tuple(fc.constantFrom('read', 'hash'), fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 })), {
        maxLength: 10,
      });
      holds(
        fc.property(logged, (entries) => {
          const lines = entries.map(([name, value, digits]) =>
            name === 'read' ? `2024-03-14T09:21:04.716Z\tid\tINFO\tread ${value.toFixed(digits)} ms` : `hashed hashMs=${value.toFixed(digits)} ok`,
          );
          const expected = Object.fromEntries(entries.map(([name, value, digits]) => [name, Number(value.toFixed(digits))]));
          expect(extractTimings(lines, [read, hash])).toEqual(expected);
        }),
        5_000,
      );
    });

    it('an EMF record gives each declared metric that holds a number, or the mean of numbers, and nothing else', () => {
      holds(
        fc.property(emfRecord, fc.constantFrom('', '2024-03-14T09:21:04.716Z\tid\tINFO\t'), ({ names, doc }, prefix) => {
          const expected: Record<string, number> = {};
          for (const name of names) {
            const value = meaning(doc[name]);
            if (value !== undefined) expected[name] = value;
          }
          expect(embeddedMetrics(prefix + JSON.stringify(doc))).toEqual(expected);
        }),
        8_000,
      );
    });

    it('any text, EMF-shaped or not, gives finite metrics and never throws', () => {
      holds(
        fc.property(fc.oneof(emfShaped, anyText()), (line) => {
          for (const value of Object.values(extractTimings([line], []))) expect(Number.isFinite(value)).toBe(true);
        }),
        8_000,
      );
    });

    it('any --timing spec gives a usable pattern or an Error the CLI words as a bad flag', () => {
      const spec = fc.oneof(
        anyText(60),
        fc.tuple(fc.oneof(metricName, anyText(10)), anyText(40)).map(([name, regex]) => `${name}=${regex}`),
        fc.tuple(metricName, anyText(20), fc.constantFrom('value', 'x', 'read')).map(([name, text, group]) => `${name}=${text}(?<${group}>[\\d.]+)`),
      );
      holds(
        fc.property(spec, (text) => {
          let pattern;
          try {
            pattern = parseTimingPattern(text);
          } catch (error) {
            // tune-config's timingOf turns any error from here into a --timing UserError, with this message.
            expect(error).toBeInstanceOf(Error);
            expect((error as Error).message).not.toBe('');
            return;
          }
          expect(pattern.name).toMatch(/^[A-Za-z_][\w.-]*$/);
          expect(text.startsWith(`${pattern.name}=`) || text.trimStart().startsWith(pattern.name)).toBe(true);
        }),
        6_000,
      );
    });

    it('counterexamples the properties found: a null directive or metric threw, and null or false read as 0', () => {
      expect(embeddedMetrics('{"_aws":{"CloudWatchMetrics":[{"Metrics":[null]}]},"x":1}')).toEqual({});
      expect(embeddedMetrics('{"_aws":{"CloudWatchMetrics":[null, 5]}}')).toEqual({});
      expect(embeddedMetrics('{"_aws":{"CloudWatchMetrics":5}}')).toEqual({});
      const declared = '{"_aws":{"CloudWatchMetrics":[{"Metrics":[{"Name":"a"},{"Name":"b"},{"Name":"c"},{"Name":"d"}]}]}';
      expect(embeddedMetrics(`${declared},"a":false,"b":null,"c":"12","d":[]}`)).toEqual({});
    });
  });
}
