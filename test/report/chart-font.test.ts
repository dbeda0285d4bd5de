import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { costDurationChart } from '../../src/report/chart-config.js';
import { CHART_FONT_FAMILY } from '../../src/report/chart-font.js';
import { renderChart } from '../../src/report/chart-render.js';
import { twoFunctionResult } from '../helpers/results.js';

/**
 * The charts must come out the same on every machine, whatever fonts it has. A child process draws
 * the chart once with the fonts installed here (plus one planted in its home folder), and once in a
 * mount namespace where every folder the canvas reads fonts from is covered by an empty tmpfs.
 */

const CHILD = path.join(import.meta.dirname, 'render-chart-child.mjs');
const BUILT = path.join(import.meta.dirname, '..', '..', 'dist', 'report', 'chart-render.js');
const SNAPSHOT = path.join(import.meta.dirname, '__snapshots__', 'two-functions-chart.svg');
const SYSTEM_FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];
const HOME_FONT_DIRS = ['.fonts', path.join('.local', 'share', 'fonts')];

/** Covers each font folder that exists with an empty tmpfs, then runs node on the child; mounts end with the namespace. */
const HIDE_FONTS_THEN_RUN =
  'node=$1; child=$2; shift 2; for dir in "$@"; do if [ -d "$dir" ]; then mount -t tmpfs tmpfs "$dir" || exit 97; fi; done; exec "$node" "$child"';

const asRoot = process.getuid?.() === 0;
const UNSHARE = asRoot ? ['--mount'] : ['--mount', '--map-root-user'];
// Root (as in CI) always runs the test, so a broken sandbox fails it instead of skipping it.
const canSandbox = process.platform === 'linux' && (asRoot || spawnSync('unshare', [...UNSHARE, 'true']).status === 0);
if (!canSandbox) console.warn('chart font sandbox test skipped: it needs Linux and either root or unprivileged user namespaces for unshare --mount.');

interface ChildRender {
  installed: string[];
  known: string[];
  width: { installed: number; bundled: number };
  png: string;
  svg: string;
}

/** A home folder holding DejaVu Sans in ~/.fonts, so hiding is seen to work even where no font is installed. */
function homeWithPlantedFont(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'lambda-tune-fonts-'));
  const fonts = path.join(home, '.fonts');
  mkdirSync(fonts);
  const manifest = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  copyFileSync(path.join(path.dirname(manifest), 'ttf', 'DejaVuSans.ttf'), path.join(fonts, 'DejaVuSans.ttf'));
  return home;
}

function runChild(config: unknown, home: string, sandboxed: boolean): ChildRender {
  const hidden = [...SYSTEM_FONT_DIRS, ...HOME_FONT_DIRS.map((dir) => path.join(home, dir))];
  const [command, args] = sandboxed
    ? ['unshare', [...UNSHARE, '--', 'sh', '-c', HIDE_FONTS_THEN_RUN, 'sh', process.execPath, CHILD, ...hidden]]
    : [process.execPath, [CHILD]];
  // The home folder is also the working folder: the canvas looks for fonts in a folder relative to it.
  const child = spawnSync(command, args, { input: JSON.stringify(config), cwd: home, env: { PATH: process.env['PATH'], HOME: home }, timeout: 60_000 });
  expect(child.status, child.stderr.toString()).toBe(0);
  return JSON.parse(child.stdout.toString()) as ChildRender;
}

describe.skipIf(!canSandbox)('chart text with no installed fonts', () => {
  const config = costDurationChart(twoFunctionResult());
  const home = homeWithPlantedFont();

  it('is drawn in the bundled font alone: the same PNG and SVG bytes with every font folder hidden', () => {
    expect(existsSync(BUILT), 'the child draws with dist/: run npm run build').toBe(true);
    const png = renderChart(config, 'png').toString('base64');
    const installed = runChild(config, home, false);
    const hidden = runChild(config, home, true);

    // The control: outside the sandbox the planted font is found and measures like the bundled one;
    // inside, no font is found at all, and text in the installed family has no width.
    expect(installed.installed).toContain('DejaVu Sans');
    expect(installed.width.installed).toBe(installed.width.bundled);
    expect(hidden.installed).toEqual([]);
    expect(hidden.width.installed).toBe(0);
    expect(hidden.known).toContain(CHART_FONT_FAMILY);

    const hint = 'dist/ may be older than src/: run npm run build';
    expect(installed.png, hint).toBe(png);
    expect(hidden.png, hint).toBe(png);
    expect(Buffer.from(hidden.svg, 'base64').toString(), hint).toBe(readFileSync(SNAPSHOT, 'utf8'));
    expect(hidden.svg, hint).toBe(installed.svg);
  });
});
