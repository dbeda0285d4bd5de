import { AwsError } from './aws-error.js';
import type { LogStore, StoredEvent } from './log-store.js';

const TARGET_PREFIX = 'Logs_20140328.';

interface LogsContext {
  store: LogStore;
  groupArn: (name: string) => string;
}

type Operation = (context: LogsContext, input: Record<string, unknown>) => unknown;

/** The CloudWatch Logs operations the platform answers (JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`). */
export function createLogsApi(store: LogStore, region: string, accountId: string): (target: string, input: Record<string, unknown>) => unknown {
  const context = { store, groupArn: (name: string) => `arn:aws:logs:${region}:${accountId}:log-group:${name}` };
  return (target, input) => {
    const operation = target.startsWith(TARGET_PREFIX) ? OPERATIONS.get(target.slice(TARGET_PREFIX.length)) : undefined;
    if (operation === undefined) throw new AwsError('UnknownOperationException', 400, `The local platform does not implement ${target}.`);
    return operation(context, input);
  };
}

function filterLogEvents({ store }: LogsContext, input: Record<string, unknown>) {
  const { events, nextToken } = store.filter({
    logGroupName: requireString(input, 'logGroupName'),
    logStreamNames: optionalStrings(input, 'logStreamNames'),
    logStreamNamePrefix: optionalString(input, 'logStreamNamePrefix'),
    startTime: optionalNumber(input, 'startTime'),
    endTime: optionalNumber(input, 'endTime'),
    filterPattern: optionalString(input, 'filterPattern'),
    nextToken: optionalString(input, 'nextToken'),
    limit: optionalNumber(input, 'limit'),
  });
  return { events: events.map(filteredEvent), searchedLogStreams: [], ...(nextToken === undefined ? {} : { nextToken }) };
}

function getLogEvents({ store }: LogsContext, input: Record<string, unknown>) {
  const page = store.streamEvents({
    logGroupName: requireString(input, 'logGroupName'),
    logStreamName: requireString(input, 'logStreamName'),
    startTime: optionalNumber(input, 'startTime'),
    endTime: optionalNumber(input, 'endTime'),
    startFromHead: optionalBoolean(input, 'startFromHead'),
    nextToken: optionalString(input, 'nextToken'),
    limit: optionalNumber(input, 'limit'),
  });
  return { ...page, events: page.events.map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })) };
}

function describeLogStreams({ store, groupArn }: LogsContext, input: Record<string, unknown>) {
  const logGroupName = requireString(input, 'logGroupName');
  const page = store.describeStreams({
    logGroupName,
    logStreamNamePrefix: optionalString(input, 'logStreamNamePrefix'),
    orderBy: optionalString(input, 'orderBy') as 'LogStreamName' | 'LastEventTime' | undefined,
    descending: optionalBoolean(input, 'descending'),
    nextToken: optionalString(input, 'nextToken'),
    limit: optionalNumber(input, 'limit'),
  });
  const logStreams = page.logStreams.map((stream) => ({ ...stream, arn: `${groupArn(logGroupName)}:log-stream:${stream.logStreamName}` }));
  return { ...page, logStreams };
}

function describeLogGroups({ store, groupArn }: LogsContext, input: Record<string, unknown>) {
  const prefix = optionalString(input, 'logGroupNamePrefix') ?? '';
  const logGroups = store
    .groupNames()
    .filter((name) => name.startsWith(prefix))
    .map((name) => {
      const group = store.group(name);
      return { logGroupName: name, creationTime: group.creationTime, storedBytes: group.storedBytes, arn: `${groupArn(name)}:*` };
    });
  return { logGroups };
}

const OPERATIONS = new Map<string, Operation>([
  ['FilterLogEvents', filterLogEvents],
  ['GetLogEvents', getLogEvents],
  ['DescribeLogStreams', describeLogStreams],
  ['DescribeLogGroups', describeLogGroups],
]);

function filteredEvent(event: StoredEvent) {
  return {
    logStreamName: event.logStreamName,
    timestamp: event.timestamp,
    message: event.message,
    ingestionTime: event.ingestionTime,
    eventId: `${event.timestamp}${String(event.seq).padStart(20, '0')}`,
  };
}

function invalid(field: string, expected: string): AwsError {
  return new AwsError('InvalidParameterException', 400, `${field} must be ${expected}.`);
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw invalid(field, 'a non-empty string');
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/** A field that may be absent (or null), and must have the right type when present. */
function optionalField<T>(input: Record<string, unknown>, field: string, expected: string, is: (value: unknown) => value is T): T | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!is(value)) throw invalid(field, expected);
  return value;
}

const optionalString = (input: Record<string, unknown>, field: string) => optionalField(input, field, 'a string', isString);
const optionalStrings = (input: Record<string, unknown>, field: string) => optionalField(input, field, 'a list of strings', isStrings);
const optionalNumber = (input: Record<string, unknown>, field: string) => optionalField(input, field, 'a number', isNumber);
const optionalBoolean = (input: Record<string, unknown>, field: string) => optionalField(input, field, 'a boolean', isBoolean);
