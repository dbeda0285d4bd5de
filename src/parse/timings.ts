import { RESERVED_NAMES } from '../plan/axes.js';

/**
 * Timings a function logs about itself: lines matched by a user's regex with a named group
 * (`--timing 'read=read (?<value>[\d.]+) ms'`), and CloudWatch embedded metric format records,
 * picked up automatically.
 */
export interface TimingPattern {
  name: string;
  regex: RegExp;
}

/** Reads `name=REGEX`; the regex needs a named group (`value`, or the timing's own name). */
export function parseTimingPattern(spec: string): TimingPattern {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`"${spec}" is not name=REGEX`);
  const name = spec.slice(0, eq).trim();
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new Error(`"${name}" is not a usable timing name (letters, digits, _ . -)`);
  if (RESERVED_NAMES.has(name)) throw new Error(`"${name}" is not a usable timing name: objects have a ${name} of their own; choose another`);
  let regex: RegExp;
  try {
    regex = new RegExp(spec.slice(eq + 1));
  } catch (error) {
    throw new Error(`the regex of "${name}" does not compile: ${(error as Error).message}`, { cause: error });
  }
  const groups = new RegExp(`${regex.source}|`).exec('')?.groups ?? {};
  if (!('value' in groups) && !(name in groups)) throw new Error(`the regex of "${name}" needs a named group (?<value>…) holding the number`);
  return { name, regex };
}

/** Every timing found in an invocation's log lines; a later line wins over an earlier one of the same name. */
export function extractTimings(lines: readonly string[], patterns: readonly TimingPattern[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of lines) {
    for (const pattern of patterns) {
      const groups = pattern.regex.exec(line)?.groups;
      const raw = groups?.['value'] ?? groups?.[pattern.name];
      const value = raw === undefined ? Number.NaN : Number.parseFloat(raw);
      if (Number.isFinite(value)) found[pattern.name] = value;
    }
    Object.assign(found, embeddedMetrics(line));
  }
  return found;
}

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: unknown };
  [key: string]: unknown;
}

/** The metric values of one embedded metric format record, wherever it starts in the line. */
export function embeddedMetrics(line: string): Record<string, number> {
  if (!line.includes('"_aws"')) return {};
  let doc: EmfDocument | null;
  try {
    doc = JSON.parse(line.slice(line.indexOf('{'))) as EmfDocument | null;
  } catch {
    return {};
  }
  const metrics: Record<string, number> = {};
  for (const directive of listOf(doc?._aws?.CloudWatchMetrics)) {
    for (const metric of listOf((directive as { Metrics?: unknown } | null)?.Metrics)) {
      const name = (metric as { Name?: unknown } | null)?.Name;
      // A name objects have of their own is left out, as `tune analyze` leaves out such a timing column (measurement-row.ts).
      if (typeof name !== 'string' || RESERVED_NAMES.has(name)) continue;
      const value = metricValue(doc?.[name]);
      if (value !== undefined) metrics[name] = value;
    }
  }
  return metrics;
}

/** A part of a record that should be a list, as one; a record of another shape has nothing there. */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** EMF allows a number or an array of numbers; one invocation's timing is their mean. Anything else (null, "12", true) is no value. */
function metricValue(value: unknown): number | undefined {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.length === 0 || !values.every((v) => typeof v === 'number')) return undefined;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Number.isFinite(mean) ? mean : undefined;
}
