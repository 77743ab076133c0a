import { describe, expect, it } from 'vitest';
import { decisionRegions } from '../../src/plot/charts.js';
import { latticeOf, pixelCentres, regionImage } from '../../src/plot/regionRaster.js';
import { renderSvg } from '../../src/plot/render.js';
import { regionsData } from './gallery.js';
import { decodeIndexed, fromDataUrl } from './pngDecode.js';

// Decision regions as one embedded raster: small, smooth, and where the classifier puts them.

/** Cells of side `step` covering [0, 4] × [0, 2], labelled by `classify` at their centres. */
function gridOf(step: number, classify: (x: number, y: number) => string) {
  const grid: Array<{ x: number; y: number; label: string }> = [];
  for (let i = 0; i * step < 4 - 1e-9; i++) for (let j = 0; j * step < 2 - 1e-9; j++) grid.push({ x: i * step, y: j * step, label: classify((i + 0.5) * step, (j + 0.5) * step) });
  return grid;
}

/** The image's URL in a decisionRegions spec (the first layer's single datum). */
function imageUrl(spec: object): string {
  const layer = (spec as { layer: Array<{ data: { values: Array<{ url: string }> } }> }).layer;
  return layer[0]!.data.values[0]!.url;
}

describe('the raster from a grid of cells', () => {
  // The line x + 2y = 3.1 at a slant the grid can only draw as a staircase.
  const line = (x: number, y: number) => x + 2 * y - 3.1;
  const classify = (x: number, y: number) => (line(x, y) < 0 ? 'a' : 'b');

  // Straight boundaries a·x + b·y = c at several slopes, none aligned with the cells.
  it.each([[1, 2, 3.1], [1, 0.3, 2.05], [1, 5, 6.01], [1, 1, 3.03], [1, -1.5, 1.02]])('the boundary of %s·x + %s·y = %s stays near the true line', (a, b, c) => {
    const side = (x: number, y: number) => (a * x + b * y - c) / Math.hypot(a, b);
    for (const step of [0.1, 0.25]) {
      const lattice = latticeOf(gridOf(step, (x, y) => (side(x, y) < 0 ? 'a' : 'b')), step, ['a', 'b']);
      expect([lattice.nx, lattice.ny]).toEqual([Math.round(4 / step), Math.round(2 / step)]);
      const [w, h] = [400, 200];
      const image = regionImage(lattice, w, h, [[255, 0, 0], [0, 0, 255]]);
      let wrong = 0;
      let staircase = 0;
      let interior = 0;
      let anywhere = 0;
      pixelCentres(lattice, w, h).forEach(([x, y], t) => {
        const truth = side(x, y) < 0 ? 0 : 1;
        // What drawing the cells would show here: the class of the pixel's own cell.
        if (lattice.cells[Math.floor(y / step) * lattice.nx + Math.floor(x / step)] !== truth) staircase++;
        if (image.pixels[t] === truth + 1) return;
        wrong++;
        const cells = Math.abs(side(x, y)) / step;
        anywhere = Math.max(anywhere, cells);
        if (x > 3 * step && x < 4 - 3 * step && y > 3 * step && y < 2 - 3 * step) interior = Math.max(interior, cells);
      });
      // The claims of regionRaster.ts: about a third of a cell inside the grid (beyond its three
      // outer rings of cells), and never worse than the cells' own staircase (half a diagonal).
      expect(interior, `step ${step}, inside`).toBeLessThan(0.35);
      expect(anywhere, `step ${step}, anywhere`).toBeLessThanOrEqual(Math.SQRT1_2);
      // and fewer pixels are on the wrong side than with the cells drawn as squares
      expect(wrong, `step ${step}`).toBeLessThan(staircase);
    }
  });

  it('pixels of cells missing from the grid are transparent (value 0)', () => {
    const grid = gridOf(0.5, classify).filter((g) => !(g.x === 0 && g.y === 0));
    const lattice = latticeOf(grid, 0.5, ['a', 'b']);
    const image = regionImage(lattice, 80, 40, [[255, 0, 0], [0, 0, 255]]);
    expect(image.pixels[39 * 80 + 0]).toBe(0); // bottom-left corner: the missing cell (0, 0)
    expect(image.pixels[0]).toBe(2); // top-left (0, 2): x + 2y > 3.1, class b
    expect(image.palette[0]![3]).toBe(0);
  });

  it('cells off the lattice or with unknown labels are refused', () => {
    expect(() => latticeOf([{ x: 0, y: 0, label: 'a' }, { x: 0.33, y: 0, label: 'a' }], 0.5, ['a']))
      .toThrow(new RangeError('decisionRegions: grid cell (0.33, 0) is not on the lattice of step 0.5 from (0, 0)'));
    expect(() => latticeOf([{ x: 0, y: 0, label: 'c' }], 0.5, ['a'])).toThrow('which is not among the classes');
    expect(() => latticeOf([{ x: 0, y: 0, label: 'a' }], -1, ['a'])).toThrow('decisionRegions: step must be a positive number, got -1');
  });
});

describe('decisionRegions', () => {
  const { grid, points, classify } = regionsData(0.05);
  const o = { title: 'Iris', xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', step: 0.05, legendTitle: 'species' };

  it('the iris-sized example is one image, well under 150 KB (it was 2.1 MB of rect marks)', async () => {
    const svg = await renderSvg(decisionRegions(grid, points, o));
    expect(svg.length).toBeLessThan(150_000);
    expect(svg.match(/<image /g)).toHaveLength(1);
    expect(svg).not.toContain('role-mark layer_0_marks" role="graphics-object" aria-roledescription="rect mark');
    for (const t of ['petal length (cm)', 'petal width (cm)', 'species', 'setosa', 'versicolor', 'virginica']) expect(svg).toContain(t);
  });

  it('the image is the chart size times the resolution and spans the grid', () => {
    const spec = decisionRegions(grid, points, { ...o, resolution: 1.5 }) as unknown as { layer: Array<{ data: { values: Array<Record<string, number | string>> } }> };
    const { width, height } = decodeIndexed(fromDataUrl(imageUrl(spec)));
    expect([width, height]).toEqual([630, 450]);
    const region = spec.layer[0]!.data.values[0]!;
    // From the smallest corner to the largest corner plus one step.
    expect(region.x).toBe(Math.min(...grid.map((g) => g.x)));
    expect(region.y).toBe(0);
    expect(region.x2).toBeCloseTo(Math.max(...grid.map((g) => g.x)) + 0.05, 9);
    expect(region.y2).toBeCloseTo(Math.max(...grid.map((g) => g.y)) + 0.05, 9);
  });

  it('with predict, every pixel has the class predicted at its centre', () => {
    let calls = 0;
    const spec = decisionRegions(grid, points, {
      ...o, resolution: 1, predict: (xy) => {
        calls++;
        return xy.map(([x, y]) => classify(x, y));
      },
    });
    expect(calls).toBe(1);
    const { width, height, pixels } = decodeIndexed(fromDataUrl(imageUrl(spec)));
    const classes = ['setosa', 'versicolor', 'virginica'];
    const lattice = latticeOf(grid, 0.05, classes);
    pixelCentres(lattice, width, height).forEach(([x, y], t) => {
      if (pixels[t] !== classes.indexOf(classify(x, y)) + 1) throw new Error(`pixel ${t} at (${x}, ${y}) is ${pixels[t]}`);
    });
  });

  it('a predict that returns the wrong number of labels or an unknown class is refused', () => {
    expect(() => decisionRegions(grid, points, { ...o, resolution: 0.1, predict: () => ['setosa'] })).toThrow('decisionRegions: predict returned 1 labels for 1260 points');
    expect(() => decisionRegions(grid, points, { ...o, resolution: 0.1, predict: (xy) => xy.map(() => 'rose') })).toThrow('"rose"');
  });
});
