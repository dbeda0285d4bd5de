import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type PriceTable, PriceListError, priceTableFromOffer } from '../../src/cost/price-list.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'prices');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** What the fixture's offer holds: us-east-1 and af-south-1 in full, eu-south-1 without an arm64 request price. */
const EXPECTED: PriceTable['regions'] = {
  'af-south-1': {
    x86_64: { perGbSecondUsd: 0.0000221, perRequestUsd: 0.00000027 },
    arm64: { perGbSecondUsd: 0.00001768, perRequestUsd: 0.00000027 },
  },
  'eu-south-1': { x86_64: { perGbSecondUsd: 0.0000195172, perRequestUsd: 0.00000023 } },
  'us-east-1': {
    x86_64: { perGbSecondUsd: 0.0000166667, perRequestUsd: 0.0000002 },
    arm64: { perGbSecondUsd: 0.0000133334, perRequestUsd: 0.0000002 },
  },
};

describe('the price list', () => {
  it.each(['lambda-offer.json', 'lambda-offer.csv'])(
    'is read from the offer file (%s): first duration tier and request price per region and architecture',
    (name) => {
      const table = priceTableFromOffer(fixture(name), name);
      expect(table.regions).toEqual(EXPECTED);
      expect(table.published).toBe('2026-11-15');
      expect(table.source).toBe(`AWS Price List, AWSLambda offer published 2026-11-15 (${name})`);
    },
  );

  it('leaves out the free tier, provisioned concurrency and the later tiers', () => {
    const prices = Object.values(priceTableFromOffer(fixture('lambda-offer.json'), 'x').regions).flatMap((region) => Object.values(region));
    const gbSecond = prices.map((p) => p.perGbSecondUsd);
    expect(gbSecond).not.toContain(0);
    expect(gbSecond).not.toContain(0.0000041667);
    expect(gbSecond).not.toContain(0.000015);
  });

  it('refuses what is not an offer file, or holds no Lambda prices', () => {
    expect(() => priceTableFromOffer('{"products": {', 'broken.json')).toThrow(PriceListError);
    expect(() => priceTableFromOffer('{"publicationDate": "2026-01-01T00:00:00Z", "products": {}}', 'empty.json')).toThrow(/no on-demand Lambda/);
    expect(() => priceTableFromOffer('{"products": {}}', 'undated.json')).toThrow(/no publication date/);
    expect(() => priceTableFromOffer('a,b\n1,2\n', 'other.csv')).toThrow(/SKU column/);
  });
});

describe('scripts/prices.mjs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-prices-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the price table module from an offer file, formatted, and says what it wrote', async () => {
    const out = path.join(dir, 'price-table.ts');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'prices.mjs'), path.join(FIXTURES, 'lambda-offer.csv'), '--out', out], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('3 regions (2 with both architectures)');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain("import type { PriceTable } from './price-list.js';");
    const module = (await import(out)) as { PRICE_TABLE: PriceTable };
    expect(module.PRICE_TABLE.regions).toEqual(EXPECTED);
    const prettier = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--config', path.join(ROOT, '.prettierrc.json'), '--check', out],
      {
        encoding: 'utf8',
        cwd: ROOT,
      },
    );
    expect(prettier.status).toBe(0);
  });

  it('says what is wrong with a file it cannot use, and exits 2', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'prices.mjs'), path.join(FIXTURES, 'missing.json')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^prices: cannot read .*missing\.json/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
