import type { TopLevelSpec } from 'vega-lite';
import { nodeBuiltin } from '../platform/nodeBuiltins.js';
import { importOptional } from '../util/lazy.js';
import type { ChartSpec } from './charts.js';
import { textWidth } from './textWidth.js';

export type { ChartSpec };

/** vega's text measurer (vega-scenegraph's `textMetrics`; untyped in vega-typings). */
interface TextMetrics {
  width: (item: { fontSize?: number | string; fontWeight?: number | string }, text: string) => number;
}

/**
 * vega and vega-lite, imported on the first rendering: they are optional packages (a project that
 * only fits and predicts does not install them), and when missing the rendering fails with a
 * one-line MissingPackageError naming the one to install.
 */
async function renderer() {
  const purpose = 'rendering charts';
  const vega = await importOptional('vega', purpose, () => import('vega'));
  const { compile } = await importOptional('vega-lite', purpose, () => import('vega-lite'));
  return { vega, compile, metrics: (vega as unknown as { textMetrics: TextMetrics }).textMetrics };
}

let rendering = 0;
let vegaWidth: TextMetrics['width'] | null = null;

/**
 * Text widths from font metrics (textWidth.ts) instead of vega's headless guess of 0.8 em per
 * character, so legends, axis titles and labels are placed as a browser would place them.
 */
function measured(item: { fontSize?: number | string; fontWeight?: number | string }, text: string): number {
  const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
  const bold = item.fontWeight === 'bold' || item.fontWeight === 'bolder' || Number(item.fontWeight) >= 600;
  return textWidth(String(text), size, bold);
}

/**
 * Renders a vega-lite specification to SVG text, headless (vega's 'none' renderer; no browser).
 * While any rendering is under way, vega measures text with `textWidth` (its measurer is global,
 * so it is put back when the last rendering ends).
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const { vega, compile, metrics } = await renderer();
  if (rendering++ === 0) {
    vegaWidth = metrics.width;
    metrics.width = measured;
  }
  try {
    const view = new vega.View(vega.parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  } finally {
    if (--rendering === 0) metrics.width = vegaWidth!;
  }
}

/** Renders `spec` and writes it to `path` atomically (temporary file, then rename), creating the folder. Node.js only. */
export async function writeSvg(spec: ChartSpec, path: string): Promise<void> {
  const { mkdirSync, renameSync, rmSync, writeFileSync } = nodeBuiltin('node:fs', 'writing a chart file');
  const { dirname, join, basename } = nodeBuiltin('node:path', 'writing a chart file');
  const svg = await renderSvg(spec);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, svg);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * For scripts: writes the pictures, prints the paths written, and on failure prints the error and
 * sets a failing exit code (never an unhandled rejection).
 */
export async function writeSvgsAndReport(pictures: ReadonlyArray<readonly [ChartSpec, string]>): Promise<void> {
  try {
    console.log(`wrote ${(await writeSvgs(pictures)).join(', ')}`);
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  }
}

/** Writes several pictures in turn; returns the paths written. */
export async function writeSvgs(pictures: ReadonlyArray<readonly [ChartSpec, string]>): Promise<string[]> {
  for (const [spec, path] of pictures) await writeSvg(spec, path);
  return pictures.map(([, path]) => path);
}
