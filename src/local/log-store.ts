import { AwsError } from './aws-error.js';
import { compileFilterPattern } from './filter-pattern.js';

export interface StoredEvent {
  seq: number;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

interface StreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  events: StoredEvent[];
}

interface Group {
  name: string;
  creationTime: number;
  events: StoredEvent[];
  /** The bytes of the messages of `events`. */
  bytes: number;
  streams: Map<string, StreamInfo>;
}

export interface FilterQuery {
  logGroupName: string;
  logStreamNames?: string[] | undefined;
  logStreamNamePrefix?: string | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
  filterPattern?: string | undefined;
  nextToken?: string | undefined;
  limit?: number | undefined;
}

export interface StreamQuery {
  logGroupName: string;
  logStreamName: string;
  startTime?: number | undefined;
  endTime?: number | undefined;
  startFromHead?: boolean | undefined;
  nextToken?: string | undefined;
  limit?: number | undefined;
}

export interface DescribeStreamsQuery {
  logGroupName: string;
  logStreamNamePrefix?: string | undefined;
  orderBy?: 'LogStreamName' | 'LastEventTime' | undefined;
  descending?: boolean | undefined;
  nextToken?: string | undefined;
  limit?: number | undefined;
}

const FILTER_LIMIT = 10_000;
/** How far one FilterLogEvents call scans before it hands back a token, as AWS answers in pages. */
const FILTER_SCAN_BUDGET = 50_000;

export interface LogStoreOptions {
  /** Events kept per group; past it the oldest go, so a long-running platform keeps bounded memory. */
  maxEventsPerGroup: number;
  /** Message bytes kept per group, likewise. */
  maxBytesPerGroup: number;
  /** How long after it is written an event shows in queries (CloudWatch Logs is late too). */
  visibleAfterMs: number;
}

export const DEFAULT_LOG_STORE_OPTIONS: LogStoreOptions = { maxEventsPerGroup: 200_000, maxBytesPerGroup: 64 * 1024 * 1024, visibleAfterMs: 0 };

/** CloudWatch Logs' data model, in memory: groups, streams, and events in arrival order. */
export class LogStore {
  private readonly groups = new Map<string, Group>();
  private readonly options: LogStoreOptions;
  private seq = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    options: Partial<LogStoreOptions> = {},
  ) {
    this.options = { ...DEFAULT_LOG_STORE_OPTIONS, ...options };
  }

  append(groupName: string, logStreamName: string, message: string, timestamp = this.clock()): void {
    const group = this.ensureGroup(groupName);
    let stream = group.streams.get(logStreamName);
    if (stream === undefined) {
      stream = { logStreamName, creationTime: timestamp, storedBytes: 0, events: [] };
      group.streams.set(logStreamName, stream);
    }
    const ingestionTime = this.clock() + this.options.visibleAfterMs;
    const event: StoredEvent = { seq: ++this.seq, logStreamName, timestamp, ingestionTime, message };
    group.events.push(event);
    group.bytes += Buffer.byteLength(message);
    stream.events.push(event);
    stream.firstEventTimestamp ??= timestamp;
    stream.lastEventTimestamp = timestamp;
    stream.lastIngestionTime = event.ingestionTime;
    stream.storedBytes += Buffer.byteLength(message);
    if (group.events.length > this.options.maxEventsPerGroup || group.bytes > this.options.maxBytesPerGroup) this.trim(group);
  }

  groupNames(): string[] {
    return [...this.groups.keys()].sort();
  }

  group(name: string): { name: string; creationTime: number; storedBytes: number } {
    const group = this.requireGroup(name);
    let storedBytes = 0;
    for (const stream of group.streams.values()) storedBytes += stream.storedBytes;
    return { name: group.name, creationTime: group.creationTime, storedBytes };
  }

  filter(query: FilterQuery): { events: StoredEvent[]; nextToken?: string } {
    const group = this.requireGroup(query.logGroupName);
    const accepts = eventFilter(query);
    const limit = clampLimit(query.limit, FILTER_LIMIT);
    const events = this.visible(group.events);
    const from = query.nextToken === undefined ? 0 : firstIndexAfter(events, decodeToken(query.nextToken));
    const { matches, next } = scan(events, from, limit, accepts);
    const lastSeq = events[next - 1]?.seq;
    const more = next < events.length && lastSeq !== undefined;
    return more ? { events: matches, nextToken: encodeToken(lastSeq) } : { events: matches };
  }

  streamEvents(query: StreamQuery): { events: StoredEvent[]; nextForwardToken: string; nextBackwardToken: string } {
    const group = this.requireGroup(query.logGroupName);
    const stream = group.streams.get(query.logStreamName);
    if (stream === undefined) throw new AwsError('ResourceNotFoundException', 400, 'The specified log stream does not exist.');
    const inRange = this.visible(stream.events).filter(
      (e) => (query.startTime === undefined || e.timestamp >= query.startTime) && (query.endTime === undefined || e.timestamp < query.endTime),
    );
    const limit = clampLimit(query.limit, FILTER_LIMIT);
    const token = query.nextToken === undefined ? undefined : parseStreamToken(query.nextToken);
    const { start, end } = streamWindow(token, query.startFromHead === true, inRange.length, limit);
    return { events: inRange.slice(start, end), nextForwardToken: `f/${end}`, nextBackwardToken: `b/${start}` };
  }

  describeStreams(query: DescribeStreamsQuery): { logStreams: Omit<StreamInfo, 'events'>[]; nextToken?: string } {
    const group = this.requireGroup(query.logGroupName);
    if (query.orderBy === 'LastEventTime' && query.logStreamNamePrefix !== undefined) {
      throw new AwsError('InvalidParameterException', 400, 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    let streams = [...group.streams.values()].filter((s) => query.logStreamNamePrefix === undefined || s.logStreamName.startsWith(query.logStreamNamePrefix));
    streams.sort(
      query.orderBy === 'LastEventTime'
        ? (a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0)
        : (a, b) => compareText(a.logStreamName, b.logStreamName),
    );
    if (query.descending === true) streams = streams.reverse();
    const offset = query.nextToken === undefined ? 0 : decodeToken(query.nextToken);
    const limit = clampLimit(query.limit, 50);
    const page = streams.slice(offset, offset + limit).map(streamSummary);
    const next = offset + limit;
    return next < streams.length ? { logStreams: page, nextToken: encodeToken(next) } : { logStreams: page };
  }

  private ensureGroup(name: string): Group {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { name, creationTime: this.clock(), events: [], bytes: 0, streams: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  private requireGroup(name: string): Group {
    const group = this.groups.get(name);
    if (group === undefined) throw new AwsError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
    return group;
  }

  /** The events that have arrived by now: the rest (the newest) are still on their way. */
  private visible(events: StoredEvent[]): StoredEvent[] {
    if (this.options.visibleAfterMs === 0) return events;
    const now = this.clock();
    let end = events.length;
    while (end > 0 && (events[end - 1]?.ingestionTime ?? 0) > now) end--;
    return end === events.length ? events : events.slice(0, end);
  }

  /** Drops a group's oldest events until it holds at most nine tenths of either limit. */
  private trim(group: Group): void {
    const { maxEventsPerGroup, maxBytesPerGroup } = this.options;
    let drop = 0;
    while (group.events.length - drop > maxEventsPerGroup * 0.9 || group.bytes > maxBytesPerGroup * 0.9) {
      const oldest = group.events[drop];
      if (oldest === undefined) break;
      group.bytes -= Buffer.byteLength(oldest.message);
      drop++;
    }
    const cutoff = group.events[drop - 1]?.seq;
    if (cutoff === undefined) return;
    group.events.splice(0, drop);
    for (const stream of group.streams.values()) {
      const keepFrom = stream.events.findIndex((e) => e.seq > cutoff);
      stream.events.splice(0, keepFrom === -1 ? stream.events.length : keepFrom);
    }
  }
}

function firstIndexAfter(events: StoredEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const midSeq = events[mid]?.seq;
    if (midSeq !== undefined && midSeq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether an event is in the query's streams and time range and matches its filter pattern. */
function eventFilter(query: FilterQuery): (event: StoredEvent) => boolean {
  const matches = compileFilterPattern(query.filterPattern);
  const streams = query.logStreamNames === undefined ? undefined : new Set(query.logStreamNames);
  const { logStreamNamePrefix: prefix, startTime, endTime } = query;
  return (event) =>
    (streams === undefined || streams.has(event.logStreamName)) &&
    (prefix === undefined || event.logStreamName.startsWith(prefix)) &&
    (startTime === undefined || event.timestamp >= startTime) &&
    (endTime === undefined || event.timestamp <= endTime) &&
    matches(event.message);
}

/** Scans from `from` until `limit` events match or the scan budget is spent; `next` is where it stopped. */
function scan(events: StoredEvent[], from: number, limit: number, accepts: (event: StoredEvent) => boolean): { matches: StoredEvent[]; next: number } {
  const matches: StoredEvent[] = [];
  const stop = Math.min(events.length, from + FILTER_SCAN_BUDGET);
  let index = from;
  for (; index < stop && matches.length < limit; index++) {
    const event = events[index];
    if (event !== undefined && accepts(event)) matches.push(event);
  }
  return { matches, next: index };
}

/** The slice of a stream a GetLogEvents page covers: after a forward token, before a backward one, else from the head or the tail. */
function streamWindow(token: StreamToken | undefined, fromHead: boolean, total: number, limit: number): { start: number; end: number } {
  if (token?.direction === 'f') return { start: token.position, end: Math.min(total, token.position + limit) };
  if (token?.direction === 'b') return { start: Math.max(0, token.position - limit), end: token.position };
  if (fromHead) return { start: 0, end: Math.min(total, limit) };
  return { start: Math.max(0, total - limit), end: total };
}

function streamSummary(stream: StreamInfo): Omit<StreamInfo, 'events'> {
  const { logStreamName, creationTime, firstEventTimestamp, lastEventTimestamp, lastIngestionTime, storedBytes } = stream;
  return { logStreamName, creationTime, firstEventTimestamp, lastEventTimestamp, lastIngestionTime, storedBytes };
}

function clampLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new AwsError('InvalidParameterException', 400, `limit must be between 1 and ${max}.`);
  }
  return limit;
}

function encodeToken(value: number): string {
  return Buffer.from(`lt:${value}`).toString('base64url');
}

function decodeToken(token: string): number {
  const match = /^lt:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (match === null) throw new AwsError('InvalidParameterException', 400, 'The specified nextToken is invalid.');
  return Number(match[1]);
}

interface StreamToken {
  direction: 'f' | 'b';
  position: number;
}

function parseStreamToken(token: string): StreamToken {
  const match = /^([fb])\/(\d+)$/.exec(token);
  if (match === null) throw new AwsError('InvalidParameterException', 400, 'The specified nextToken is invalid.');
  return { direction: match[1] as 'f' | 'b', position: Number(match[2]) };
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
