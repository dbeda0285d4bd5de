import { describe, expect, it } from 'vitest';
import { LogStore } from '../../src/local/log-store.js';

describe('LogStore', () => {
  it('keeps memory bounded by dropping the oldest events of a busy group', () => {
    let now = 0;
    const store = new LogStore(() => ++now, { maxEventsPerGroup: 100 });
    for (let i = 0; i < 250; i++) store.append('/aws/lambda/f', i % 2 === 0 ? 'even' : 'odd', `event ${i}`);
    const all = store.filter({ logGroupName: '/aws/lambda/f' }).events;
    expect(all.length).toBeLessThanOrEqual(100);
    expect(all.at(-1)!.message).toBe('event 249');
    const stream = store.streamEvents({ logGroupName: '/aws/lambda/f', logStreamName: 'odd', startFromHead: true }).events;
    expect(stream[0]!.seq).toBeGreaterThanOrEqual(all[0]!.seq);
  });

  it('refuses a token it did not give out', () => {
    const store = new LogStore();
    store.append('g', 's', 'm');
    expect(() => store.filter({ logGroupName: 'g', nextToken: 'garbage' })).toThrow(/nextToken is invalid/);
    expect(() => store.streamEvents({ logGroupName: 'g', logStreamName: 's', nextToken: 'x/1' })).toThrow(/nextToken is invalid/);
  });
});

describe('LogStore limits and delays', () => {
  it('keeps a group within its byte limit by dropping the oldest events', () => {
    const store = new LogStore(Date.now, { maxBytesPerGroup: 10_000 });
    for (let i = 0; i < 100; i++) store.append('g', 's', `${String(i).padStart(3, '0')}${'.'.repeat(997)}`);
    const kept = store.filter({ logGroupName: 'g' }).events;
    expect(kept.reduce((total, e) => total + e.message.length, 0)).toBeLessThanOrEqual(10_000);
    expect(kept.at(-1)!.message.startsWith('099')).toBe(true);
  });

  it('shows an event only once its delay has passed, in FilterLogEvents and GetLogEvents', () => {
    let now = 1000;
    const store = new LogStore(() => now, { visibleAfterMs: 500 });
    store.append('g', 's', 'early');
    now = 1300;
    store.append('g', 's', 'late');
    const messages = () => store.filter({ logGroupName: 'g' }).events.map((e) => e.message);
    expect(messages()).toEqual([]);
    now = 1500;
    expect(messages()).toEqual(['early']);
    expect(store.streamEvents({ logGroupName: 'g', logStreamName: 's', startFromHead: true }).events.map((e) => e.message)).toEqual(['early']);
    now = 1800;
    expect(messages()).toEqual(['early', 'late']);
    expect(store.filter({ logGroupName: 'g' }).events[0]!.ingestionTime).toBe(1500);
  });
});
