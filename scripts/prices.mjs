#!/usr/bin/env node
// Rewrites src/cost/price-table.ts from an AWS Price List offer file for AWSLambda:
//
//   npm run prices -- FILE [--out FILE]
//
// FILE is the bulk API's offer file, JSON or CSV, for every region
// (offers/v1.0/aws/AWSLambda/current/index.json) or one (…/current/REGION/index.json, listed in
// region_index.json). Download it first: this script reads only what it is given. It runs on the
// build (dist/), which `npm run prices` makes first.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLE_FILE = path.join(ROOT, 'src', 'cost', 'price-table.ts');

const HEADER = `// Lambda's on-demand prices by region: the first duration tier per GB-second, and a request, for
// each architecture. Written by scripts/prices.mjs from the AWS Price List offer file named in
// \`source\`; rewrite it with \`npm run prices -- FILE\` rather than by hand.
// Regions and architectures missing here are priced as us-east-1, and a result says so.
import type { PriceTable } from './price-list.js';
`;

/** The price table module's text for a table, formatted as the repository's Prettier settings say. */
export async function tableModule(table) {
  const prettier = await import('prettier');
  const text = `${HEADER}\nexport const PRICE_TABLE: PriceTable = ${JSON.stringify(table, null, 2)};\n`;
  const options = (await prettier.resolveConfig(TABLE_FILE)) ?? {};
  return prettier.format(text, { ...options, filepath: TABLE_FILE });
}

async function main(argv) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run prices -- OFFER_FILE [--out FILE]   (the AWSLambda offer file, index.json or index.csv)\n');
    return 2;
  }
  const { priceTableFromOffer, PriceListError } = await import('../dist/cost/price-list.js');
  const file = positionals[0];
  let table;
  try {
    table = priceTableFromOffer(readFileSync(file, 'utf8'), path.basename(file));
  } catch (error) {
    if (!(error instanceof PriceListError) && error.code === undefined) throw error;
    process.stderr.write(`prices: cannot read ${file}: ${error.message}\n`);
    return 2;
  }
  const out = values.out ?? TABLE_FILE;
  writeFileSync(out, await tableModule(table));
  const regions = Object.entries(table.regions);
  const both = regions.filter(([, prices]) => prices.x86_64 !== undefined && prices.arm64 !== undefined).length;
  process.stdout.write(`${out}: ${regions.length} regions (${both} with both architectures), ${table.source}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
