import { describe, expect, it } from 'vitest';
import { LogStore } from '../../src/local/log-store.js';

describe('LogStore', () => {
  it('keeps memory bounded by dropping the oldest events of a busy group', () => {
    let now = 0;
    const store = new LogStore(() => ++now, 100);
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
