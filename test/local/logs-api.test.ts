import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  paginateFilterLogEvents,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let t: TestPlatform;
const requestIds: string[] = [];
let between = 0;

beforeAll(async () => {
  t = await startTestPlatform({ functions: [fixture('echo'), fixture('sleep')] });
  for (let i = 0; i < 3; i++) {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ i }) }));
    requestIds.push(result.$metadata.requestId!);
    if (i === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      between = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  await Promise.all([0, 1].map(() => t.lambda.send(new InvokeCommand({ FunctionName: 'sleep', Payload: '{"ms":200}' }))));
});
afterAll(() => t.stop());

const group = '/aws/lambda/echo';

describe('CloudWatch Logs', () => {
  it("finds exactly one invocation's lines with the quoted request id pattern", async () => {
    const id = requestIds[1]!;
    const { events } = await t.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${id}"` }));
    const firstWords = events!.map((e) => e.message!.split(/[\t ]/)[0]!.replace(/^\d{4}-.*/, '<timestamp>'));
    expect(firstWords).toEqual(['START', '<timestamp>', 'END', 'REPORT']);
    expect(events!.every((e) => e.message!.includes(id))).toBe(true);
    expect(events![0]!.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(typeof events![0]!.eventId).toBe('string');
    expect(events![0]!.ingestionTime).toBeGreaterThanOrEqual(events![0]!.timestamp!);
  });

  it('pages through events with limit and nextToken, in time order', async () => {
    const messages: string[] = [];
    let pages = 0;
    for await (const page of paginateFilterLogEvents({ client: t.logs }, { logGroupName: group, filterPattern: 'REPORT', limit: 1 })) {
      pages++;
      messages.push(...page.events!.map((e) => e.message!));
    }
    expect(messages).toHaveLength(3);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(messages.map((m) => requestIds.findIndex((id) => m.includes(id)))).toEqual([0, 1, 2]);
  });

  it('filters by time range and by excluded and optional terms', async () => {
    const later = await t.logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: between, filterPattern: 'START' }));
    expect(later.events).toHaveLength(2);
    const earlier = await t.logs.send(new FilterLogEventsCommand({ logGroupName: group, endTime: between, filterPattern: 'START' }));
    expect(earlier.events).toHaveLength(1);
    const notReports = await t.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${requestIds[0]}" -REPORT -START` }));
    expect(notReports.events!.map((e) => e.message!.split(/[\t ]/)[0])).toEqual([expect.stringMatching(/^\d{4}-/), 'END']);
    const either = await t.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '?START ?END' }));
    expect(either.events).toHaveLength(6);
  });

  it('reads a stream from the head or the tail with forward and backward tokens', async () => {
    const { logStreams } = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    expect(logStreams).toHaveLength(1);
    const stream = logStreams![0]!.logStreamName!;
    const head = await t.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 2 }));
    expect(head.events!.map((e) => e.message)).toEqual([`START RequestId: ${requestIds[0]} Version: $LATEST`, expect.stringContaining('echo says')]);
    const next = await t.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: head.nextForwardToken, limit: 2 }));
    expect(next.events![0]!.message).toBe(`END RequestId: ${requestIds[0]}`);
    const tail = await t.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 1 }));
    expect(tail.events![0]!.message).toMatch(new RegExp(`^REPORT RequestId: ${requestIds[2]}`));
  });

  it('lists one stream per execution environment, ordered by last event', async () => {
    const { logStreams } = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/sleep', orderBy: 'LastEventTime', descending: true }));
    expect(logStreams).toHaveLength(2);
    expect(logStreams![0]!.lastEventTimestamp).toBeGreaterThanOrEqual(logStreams![1]!.lastEventTimestamp!);
    expect(logStreams![0]!.arn).toContain(':log-group:/aws/lambda/sleep:log-stream:');
  });

  it('answers a group that does not exist yet with ResourceNotFoundException', async () => {
    const error = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/never-invoked' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('The specified log group does not exist.');
  });

  it.each(['null', '[]', '"text"', '7'])('answers a request body of %s with 400 SerializationException', async (body) => {
    const reply = await fetch(t.platform.endpoints.logs, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'Logs_20140328.FilterLogEvents', 'Content-Type': 'application/x-amz-json-1.1' },
      body,
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { __type: string }).__type).toBe('SerializationException');
  });
});
