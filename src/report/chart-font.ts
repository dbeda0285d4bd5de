import { createRequire } from 'node:module';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * The family the charts draw their text in: DejaVu Sans from the dejavu-fonts-ttf package, under a
 * name of our own, so no font installed on the machine can ever be chosen in its place.
 */
export const CHART_FONT_FAMILY = 'lambda-tune DejaVu Sans';

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let registered = false;

/** Registers the bundled regular and bold DejaVu Sans with the canvas, the first time a chart is drawn. */
export function registerChartFont(): string {
  if (!registered) {
    for (const file of FONT_FILES) registerFont(path.join(fontFolder(), file));
    registered = true;
  }
  return CHART_FONT_FAMILY;
}

/** The package's ttf folder, found the way Node finds the package, so it works from src/, dist/ and an install. */
function fontFolder(): string {
  const manifest = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  return path.join(path.dirname(manifest), 'ttf');
}

function registerFont(file: string): void {
  if (GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY) === null) {
    throw new Error(`The chart font ${file} could not be loaded; reinstall lambda-tune so its dependency dejavu-fonts-ttf is complete.`);
  }
}
