import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { twoFunctionResult } from '../helpers/results.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser)
  console.warn(
    `report.html browser test skipped: no Chromium at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH; .ci/run installs it.`,
  );

/** What the test reads of Chart.js inside the page (types only: page functions run in the browser). */
interface PageWindow {
  Chart: { getChart(canvas: HTMLCanvasElement): PageChart };
}
interface PageChart {
  getDatasetMeta(index: number): { data: { x: number; y: number }[] };
  data: { datasets: { data: { cellId: string }[] }[] };
  tooltip: { opacity: number; title: string[]; body: { lines: string[] }[] };
}

/** Per chart, how many pixels hold ink: drawn, and darker than the background. */
function inkedPixels(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    ['cost-duration', 'memory'].map((id) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]! > 0 && (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200)) coloured++;
      return coloured;
    }),
  );
}

/** Where the first cell's point is on the page, and that cell's id. */
function firstPoint(page: Page): Promise<{ x: number; y: number; cellId: string }> {
  return page.evaluate(() => {
    const canvas = document.getElementById('cost-duration') as HTMLCanvasElement;
    const chart = (window as unknown as PageWindow).Chart.getChart(canvas);
    const element = chart.getDatasetMeta(0).data[0]!;
    const rect = canvas.getBoundingClientRect();
    return {
      x: rect.left + element.x * (rect.width / canvas.width),
      y: rect.top + element.y * (rect.height / canvas.height),
      cellId: chart.data.datasets[0]!.data[0]!.cellId,
    };
  });
}

/** The tooltip Chart.js shows, once it shows one: its title and lines. */
async function shownTooltip(page: Page): Promise<{ title: string; lines: string[] }> {
  await page.waitForFunction(
    () => (window as unknown as PageWindow).Chart.getChart(document.getElementById('cost-duration') as HTMLCanvasElement).tooltip.opacity > 0,
  );
  return page.evaluate(() => {
    const tip = (window as unknown as PageWindow).Chart.getChart(document.getElementById('cost-duration') as HTMLCanvasElement).tooltip;
    return { title: tip.title.join(' '), lines: tip.body.flatMap((b) => b.lines) };
  });
}

/** Every console error, uncaught page error and request beyond the file itself, as they happen. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`network request: ${request.url()}`);
  });
  return problems;
}

describe.skipIf(!haveBrowser)('report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  let url: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-html-'));
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtml(twoFunctionResult()));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws both charts from disk with no network and no console errors, and shows a cell when its point is hovered', async () => {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 1000 } });
    const problems = watchProblems(page);
    await page.goto(url);

    // A chart was drawn when its canvas holds pixels other than the background.
    const inked = await inkedPixels(page);
    expect(inked[0]).toBeGreaterThan(2000);
    expect(inked[1]).toBeGreaterThan(2000);

    // Hover the first cell's point and read the tooltip Chart.js shows for it.
    const target = await firstPoint(page);
    await page.mouse.move(target.x, target.y);
    const tooltip = await shownTooltip(page);
    expect(tooltip.title).toBe(target.cellId);
    expect(tooltip.lines.join(' | ')).toMatch(/median [\d.]+ s \(95% interval .*\) \| p95 .*, n = 20 \| \$[\d.]+ per million invocations/);

    expect(await page.locator('tr.sweet td').first().textContent()).toBe('hasher-arm (arm64)');
    expect(problems).toEqual([]);
    await page.close();
  });
});
