import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/measure/journal.js';

const SECRET = 'sk_live_do_not_keep';

function journalWithVariables(): Journal {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lambda-tune-journal-secrets-')), 'journal.json');
  const journal = Journal.create(file, { runId: 'r1', target: 'aws', region: 'eu-west-1', startedAt: '2026-11-21T10:00:00.000Z' });
  journal.addFunction('orders', 'arn:aws:lambda:eu-west-1:123456789012:function:orders', 512, { API_KEY: SECRET });
  journal.addFunction('plain', 'arn:aws:lambda:eu-west-1:123456789012:function:plain', 128, { TOKEN: SECRET });
  return journal;
}

describe('the variables a journal records for --cold', () => {
  it('are on disk while they are changed, and gone from it once written back', () => {
    const journal = journalWithVariables();
    journal.environmentChanged('orders');
    expect(readFileSync(journal.file, 'utf8')).toContain(SECRET);
    journal.memoryRestored('orders');
    const text = readFileSync(journal.file, 'utf8');
    expect(text).not.toContain('API_KEY');
    expect(Journal.read(journal.file).functions[0]).toMatchObject({ memoryRestored: true, environmentRestored: true });
    expect(Journal.read(journal.file).functions[0]).not.toHaveProperty('originalEnvironment');
  });

  it('are gone from every function once the journal is finished, changed or not', () => {
    const journal = journalWithVariables();
    journal.finish();
    expect(readFileSync(journal.file, 'utf8')).not.toContain(SECRET);
    expect(Journal.read(journal.file).state).toBe('restored');
  });
});
