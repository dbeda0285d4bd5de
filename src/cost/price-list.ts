import { parse as parseCsv } from 'csv-parse/sync';
import type { Architecture } from '../result/types.js';

/** One architecture's on-demand prices in a region: the first duration tier, and a request. */
export interface ArchitecturePrices {
  perGbSecondUsd: number;
  perRequestUsd: number;
}

/** Lambda's prices by region, as read from one AWS price list. */
export interface PriceTable {
  /** Where the figures come from, in words, as results quote it. */
  source: string;
  /** The day the price list was published (or the figures were compiled), YYYY-MM-DD. */
  published: string;
  regions: Record<string, Partial<Record<Architecture, ArchitecturePrices>>>;
}

/** A price list that is not the AWSLambda offer file, or holds none of its on-demand prices. */
export class PriceListError extends Error {
  override name = 'PriceListError';
}

/**
 * One on-demand price of the offer file, whichever of its two formats it came from: the price list
 * has a row per price dimension, and the duration has several (the tiers), of which the first is read.
 */
interface PriceRow {
  regionCode: string;
  location: string;
  group: string;
  beginRange: string;
  usd: string;
}

/**
 * The product groups of the AWSLambda offer that price a plain invocation. Provisioned
 * concurrency, ephemeral storage, Lambda@Edge and the rest have groups of their own.
 */
const GROUPS: Record<string, { architecture: Architecture; price: keyof ArchitecturePrices }> = {
  'AWS-Lambda-Duration': { architecture: 'x86_64', price: 'perGbSecondUsd' },
  'AWS-Lambda-Duration-ARM': { architecture: 'arm64', price: 'perGbSecondUsd' },
  'AWS-Lambda-Requests': { architecture: 'x86_64', price: 'perRequestUsd' },
  'AWS-Lambda-Requests-ARM': { architecture: 'arm64', price: 'perRequestUsd' },
};

/**
 * The price table in an AWSLambda offer file of the AWS Price List bulk API, JSON or CSV, for all
 * regions (current/index.json) or one (current/REGION/index.json). `file` names it in the source.
 */
export function priceTableFromOffer(text: string, file: string): PriceTable {
  const { publicationDate, rows } = text.trimStart().startsWith('{') ? readOfferJson(text) : readOfferCsv(text);
  const published = /^\d{4}-\d{2}-\d{2}/.exec(publicationDate)?.[0];
  if (published === undefined) throw new PriceListError(`${file} has no publication date; is it an AWS price list offer file?`);
  const regions = tableOf(rows);
  if (Object.keys(regions).length === 0) throw new PriceListError(`${file} holds no on-demand Lambda duration and request prices in USD`);
  return { source: `AWS Price List, AWSLambda offer published ${published} (${file})`, published, regions };
}

/** Regions in code order, each with the architectures that have both a duration and a request price. */
function tableOf(rows: PriceRow[]): PriceTable['regions'] {
  const found = new Map<string, Partial<Record<Architecture, Partial<ArchitecturePrices>>>>();
  for (const row of rows) {
    const group = GROUPS[row.group];
    // The free tier is listed under the same groups, at location "Any" and no region.
    if (group === undefined || row.regionCode === '' || row.location === 'Any' || Number(row.beginRange) !== 0) continue;
    const usd = Number(row.usd);
    if (row.usd.trim() === '' || !Number.isFinite(usd) || usd <= 0) continue;
    const region = found.get(row.regionCode) ?? {};
    region[group.architecture] = { ...region[group.architecture], [group.price]: usd };
    found.set(row.regionCode, region);
  }
  const regions: PriceTable['regions'] = {};
  for (const code of [...found.keys()].sort()) {
    const complete = Object.entries(found.get(code) ?? {}).filter((entry): entry is [Architecture, ArchitecturePrices] => isComplete(entry[1]));
    if (complete.length > 0) regions[code] = Object.fromEntries(complete);
  }
  return regions;
}

function isComplete(prices: Partial<ArchitecturePrices>): prices is ArchitecturePrices {
  return prices.perGbSecondUsd !== undefined && prices.perRequestUsd !== undefined;
}

interface OfferJson {
  publicationDate?: unknown;
  products?: Record<string, { productFamily?: string; attributes?: Record<string, string> }>;
  terms?: { OnDemand?: Record<string, Record<string, { priceDimensions?: Record<string, { beginRange?: string; pricePerUnit?: Record<string, string> }> }>> };
}

/** The JSON offer: products by SKU with their attributes, and each SKU's on-demand terms with their price dimensions. */
function readOfferJson(text: string): { publicationDate: string; rows: PriceRow[] } {
  let offer: OfferJson;
  try {
    offer = JSON.parse(text) as OfferJson;
  } catch (error) {
    throw new PriceListError(`the price list is not valid JSON: ${(error as Error).message}`);
  }
  const rows: PriceRow[] = [];
  for (const [sku, product] of Object.entries(offer.products ?? {})) {
    const attributes = product.attributes ?? {};
    for (const term of Object.values(offer.terms?.OnDemand?.[sku] ?? {})) {
      for (const dimension of Object.values(term.priceDimensions ?? {})) {
        rows.push({
          regionCode: attributes['regionCode'] ?? '',
          location: attributes['location'] ?? '',
          group: attributes['group'] ?? '',
          beginRange: dimension.beginRange ?? '0',
          usd: dimension.pricePerUnit?.['USD'] ?? '',
        });
      }
    }
  }
  return { publicationDate: typeof offer.publicationDate === 'string' ? offer.publicationDate : '', rows };
}

/**
 * The CSV offer: five lines of "Name","value" about the offer, then a header and one row per price
 * dimension. Columns are found by name, spaces and case aside ("Region Code", "usageType").
 */
function readOfferCsv(text: string): { publicationDate: string; rows: PriceRow[] } {
  const lines = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  const headerAt = lines.findIndex((line) => line.some((cell) => key(cell) === 'sku'));
  if (headerAt === -1) throw new PriceListError('the price list is neither JSON nor a CSV offer file with a SKU column');
  const meta = new Map(lines.slice(0, headerAt).map((line) => [key(line[0] ?? ''), line[1] ?? '']));
  const header = (lines[headerAt] ?? []).map(key);
  const column = (name: string) => header.indexOf(name);
  const at = { term: column('termtype'), region: column('regioncode'), location: column('location'), group: column('group') };
  const range = column('startingrange');
  const price = column('priceperunit');
  const currency = column('currency');
  const rows = lines
    .slice(headerAt + 1)
    .filter((line) => line[at.term] === 'OnDemand' && line[currency] === 'USD')
    .map((line) => ({
      regionCode: line[at.region] ?? '',
      location: line[at.location] ?? '',
      group: line[at.group] ?? '',
      beginRange: line[range] ?? '0',
      usd: line[price] ?? '',
    }));
  return { publicationDate: meta.get('publicationdate') ?? '', rows };
}

function key(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}
