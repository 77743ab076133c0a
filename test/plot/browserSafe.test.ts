import { expect, it } from 'vitest';
import { runtimeImports } from '../metrics/runtimeImports.js';

// The chart builders (not the renderer, which is Node's) are plain data and must run in browsers:
// the PNG of the decision regions is encoded in TypeScript, not with Node's zlib.

it('charts.ts loads no Node module and no package at run time', () => {
  const { files, external } = runtimeImports('src/plot/charts.ts');
  expect(external).toEqual([]);
  expect(files.sort()).toEqual(['src/plot/charts.ts', 'src/plot/png.ts', 'src/plot/regionRaster.ts', 'src/plot/textWidth.ts']);
});
