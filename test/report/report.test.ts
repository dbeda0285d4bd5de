import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseMeasurements } from '../../src/parse/measurements.js';
import { CHART_SIZE, costDurationChart, memoryChart } from '../../src/report/chart-config.js';
import { renderChart } from '../../src/report/chart-render.js';
import { renderSamplesCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { twoFunctionResult } from '../helpers/results.js';
import { analyze } from '../../src/analyze/analyze.js';
import type { Sample, TuneResult } from '../../src/result/types.js';

describe('report.md', () => {
  it('matches the committed snapshot for two builds with a failed cell', async () => {
    await expect(renderMarkdown(twoFunctionResult())).toMatchFileSnapshot('./__snapshots__/two-functions.md');
  });

  it('leads with the recommendation, its rule and the saving against the current memory', () => {
    const md = renderMarkdown(twoFunctionResult());
    const lines = md.split('\n');
    expect(lines[2]).toMatch(
      /^\*\*Recommended: `hasher-arm` at 512 MB with chunkSizeMb=20\*\*: \$[\d.]+ per million invocations, median 600 ms, p95 624 ms\.$/,
    );
    expect(md).toContain('Chosen by: lowest cost^0.5 × duration^0.5');
    expect(md).toContain('That is the configuration it already has (512 MB).');
    expect(md).toMatch(/\| `hasher` \(x86_64\) \| 128 MB \| 20 \| 3 \| 4: Runtime\.OutOfMemory ×4 \|.*\| ✗ \|/);
  });

  it('renders the same bytes from the same result, also after a round trip through JSON', () => {
    const result = twoFunctionResult();
    const again = JSON.parse(JSON.stringify(result)) as typeof result;
    expect(renderMarkdown(again)).toBe(renderMarkdown(result));
    expect(renderSamplesCsv(again)).toBe(renderSamplesCsv(result));
    expect(renderTerminal(again)).toBe(renderTerminal(result));
  });
});

describe('samples.csv', () => {
  it('has every invocation and reads back through tune analyze', () => {
    const result = twoFunctionResult();
    const csv = renderSamplesCsv(result);
    expect(csv.split('\n')[0]).toBe(
      'function,memoryMb,chunkSizeMb,durationMs,billedDurationMs,maxMemoryUsedMb,initDurationMs,status,errorType,cold,warmup,requestId,timing.readMs',
    );
    // The fixture's samples are in plan order already, so they read back exactly as they were.
    expect(parseMeasurements(csv, 'unused')).toEqual(result.samples);
  });
});

describe('charts', () => {
  const result = twoFunctionResult();

  it('draws a PNG of the chart size, the same bytes every time', () => {
    const png = renderChart(costDurationChart(result), 'png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect(renderChart(costDurationChart(result), 'png').equals(png)).toBe(true);
    expect(renderChart(memoryChart(result), 'png').readUInt32BE(16)).toBe(CHART_SIZE.width);
  });

  it('draws an SVG that parses, with the sweet spot marked and the frontier drawn, and matches the snapshot', async () => {
    const svg = renderChart(costDurationChart(result), 'svg').toString();
    // Skia's SVG reader takes only well-formed XML, and reads the size from the root element.
    const image = await loadImage(Buffer.from(svg));
    expect([image.width, image.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    // Skia writes a <text> per word; the words read in order make the sentences.
    const words = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(words).toContain('★ sweet spot: hasher-arm 512 MB, chunkSizeMb=20');
    expect(words).toContain('Pareto frontier (nothing is both cheaper and faster)');
    expect(words).toContain('failed, not shown: 128 MB chunkSizeMb=20 (hasher), 128 MB chunkSizeMb=20 (hasher-arm)');
    expect(renderChart(costDurationChart(result), 'svg').toString()).toBe(svg);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/two-functions-chart.svg');
  });

  it('puts the frontier through exactly the frontier cells, cheapest first', () => {
    const config = costDurationChart(result);
    const frontier = config.data.datasets.find((d) => String(d['label']).startsWith('Pareto frontier'))!;
    const expected = result.analysis.cells
      .filter((c) => c.onFrontier)
      .map((c) => c.costPerMillionUsd!)
      .sort((a, b) => a - b);
    expect((frontier['data'] as { x: number }[]).map((p) => p.x)).toEqual(expected.map((x) => Math.round(x * 1e4) / 1e4));
  });
});

describe('result.json', () => {
  it('follows the JSON Schema in schemas/', () => {
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'schemas', 'tune-result.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const result = JSON.parse(JSON.stringify(twoFunctionResult())) as { samples: { status: string }[] };
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    result.samples[0]!.status = 'fine';
    expect(validate(result)).toBe(false);
  });
});

describe('report.html', () => {
  it('holds the same tables as report.md and needs nothing from the network', () => {
    const html = renderHtml(twoFunctionResult());
    for (const heading of ['All cells', 'Cold starts', 'Logged timings (median)', 'Prices used', 'How this was measured'])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('<tr class="sweet"><td class="text">hasher-arm (arm64)</td>');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
  });
});

describe('charts of many parameter combinations', () => {
  /** One function, two memory sizes, twelve values of one axis: more series than colours and shapes tell apart. */
  function manyCombinations(): TuneResult {
    const values = Array.from({ length: 12 }, (_, i) => i + 1);
    const samples: Sample[] = values.flatMap((workers) =>
      [128, 512].flatMap((memoryMb) =>
        Array.from({ length: 5 }, (_, i): Sample => {
          const durationMs = (1000 + 40 * Math.abs(workers - 7)) * (128 / memoryMb) * (1 + 0.01 * i);
          return {
            function: 'f',
            memoryMb,
            params: { workers },
            durationMs,
            billedDurationMs: Math.ceil(durationMs),
            maxMemoryUsedMb: 60,
            status: 'success',
            cold: false,
            warmup: false,
            timings: {},
          };
        }),
      ),
    );
    const base = twoFunctionResult();
    const functions = [{ ...base.functions[0]!, name: 'f' }];
    const plan = { functions: ['f'], memoryMb: [128, 512], axes: [{ name: 'workers', values }] };
    return { ...base, plan, functions, samples, analysis: analyze(samples, plan, functions, base.analysis.selection) };
  }

  it("draws at most eight series, the sweet spot's among them, and says how many are left to the tables", () => {
    const result = manyCombinations();
    const chart = costDurationChart(result);
    const series = chart.data.datasets.filter((d) => String(d['label']).startsWith('workers='));
    expect(series).toHaveLength(8);
    const sweet = result.analysis.cells.find((c) => c.id === result.analysis.sweetSpot?.cellId);
    expect(series.map((d) => d['label'])).toContain(`workers=${String(sweet?.params['workers'])}`);
    expect(JSON.stringify(chart.options)).toContain('4 more parameter combinations in the tables');
    expect(JSON.stringify(memoryChart(result).options)).toContain('4 more parameter combinations in the tables');
    expect(memoryChart(result).data.datasets.length).toBe(16);
  });
});
