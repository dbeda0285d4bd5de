import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from '../../src/apply/confirm.js';

/** The question on a terminal as a pair of streams: what the user types, and what they see. */
function ask(typed: string | undefined): { answer: Promise<boolean>; shown: () => string } {
  const stdin = new PassThrough();
  let shown = '';
  const answer = confirm('Apply?', { stdin, stderr: { write: (text: string) => (shown += text) } });
  if (typed === undefined) stdin.end();
  else stdin.write(typed);
  return { answer, shown: () => shown };
}

describe('confirm', () => {
  it.each([
    ['y\n', true],
    ['Yes\n', true],
    ['  YES  \r\n', true],
    ['n\n', false],
    ['\n', false],
    ['yep\n', false],
  ])('reads %j as %s', async (typed, yes) => {
    const { answer, shown } = ask(typed);
    expect(await answer).toBe(yes);
    expect(shown()).toBe('Apply? [y/N] ');
  });

  it('takes the end of input (Ctrl-D) as no, and ends the line it left open', async () => {
    const { answer, shown } = ask(undefined);
    expect(await answer).toBe(false);
    expect(shown()).toBe('Apply? [y/N] \n');
  });

  it('waits for the line: an answer typed in pieces is read once complete', async () => {
    const stdin = new PassThrough();
    const answer = confirm('Apply?', { stdin, stderr: { write: () => true } });
    stdin.write('y');
    await new Promise((resolve) => setTimeout(resolve, 20));
    stdin.write('\n');
    expect(await answer).toBe(true);
  });
});
