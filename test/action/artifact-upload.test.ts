import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './scripts.js';

const ACTION = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

/** The `path:` block of the upload step, one glob a line. */
function uploadedPaths(): string[] {
  const step = ACTION.slice(ACTION.indexOf('uses: actions/upload-artifact@v4'));
  const match = /\n {8}path: \|\n((?: {10}.+\n)+)/.exec(step);
  if (match === null) throw new Error('the upload step has no path: | block');
  return match[1]!.split('\n').flatMap((line) => (line.trim() === '' ? [] : [line.trim()]));
}

describe('the artifact the action uploads', () => {
  it('is the out folder without the run journal (which may hold environment variables) or its temporary files', () => {
    expect(uploadedPaths()).toEqual([
      '${{ steps.run.outputs.out }}',
      '!${{ steps.run.outputs.out }}/journal.json',
      '!${{ steps.run.outputs.out }}/journal.json.*.tmp',
    ]);
  });
});
