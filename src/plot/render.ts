import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from './charts.js';

export type { ChartSpec };

/** Renders a vega-lite specification to SVG text, headless (vega's 'none' renderer; no browser). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders `spec` and writes it to `path` atomically (temporary file, then rename), creating the folder. */
export async function writeSvg(spec: ChartSpec, path: string): Promise<void> {
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
