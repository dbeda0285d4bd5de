// Run by chart-font.test.ts in a child process. Reads a chart configuration (JSON) on stdin, draws it
// with the built renderer in dist/, and prints one JSON object: the font families the canvas found
// installed, the families it knows after drawing, how wide a line of text is in 'DejaVu Sans' before
// drawing (an installed font, if any) and in the bundled family after, and the PNG and SVG bytes (base64).
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const dist = fileURLToPath(new URL('../../dist/report/', import.meta.url));
const { renderChart } = await import(pathToFileURL(`${dist}chart-render.js`).href);
const { CHART_FONT_FAMILY } = await import(pathToFileURL(`${dist}chart-font.js`).href);

const families = () => GlobalFonts.families.map((font) => font.family).sort();
const widthIn = (family) => {
  const context = createCanvas(10, 10).getContext('2d');
  context.font = `12px "${family}"`;
  return context.measureText('hasher-arm 512 MB, 20 MB chunks').width;
};

const config = JSON.parse(readFileSync(0, 'utf8'));
const installed = families();
const installedWidth = widthIn('DejaVu Sans');
const png = renderChart(config, 'png').toString('base64');
const svg = renderChart(config, 'svg').toString('base64');
const width = { installed: installedWidth, bundled: widthIn(CHART_FONT_FAMILY) };
process.stdout.write(JSON.stringify({ installed, known: families(), width, png, svg }));
