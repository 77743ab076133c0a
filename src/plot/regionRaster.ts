import type { IndexedImage } from './png.js';

/**
 * The decision-region picture as a raster: a regular grid of predicted classes resampled to the
 * image's pixels with smooth boundaries.
 *
 * Cells: cell (i, j) is the square [x₀ + i·h, x₀ + (i+1)·h] × [y₀ + j·h, y₀ + (j+1)·h] (h = step),
 * labelled with the class predicted at its centre. Each class k has the indicator field
 * Iₖ(i, j) = [label(i, j) = k] on the cell centres. The fields are smoothed with a Gaussian of
 * σ = 0.7 cells (normalized over the cells that exist, so the grid's edges are not darkened), then
 * read at each pixel centre by bilinear interpolation (extended linearly over the outer half
 * cells), and the pixel takes the class of the largest smoothed indicator. Drawing the cells
 * themselves puts a straight boundary up to half a cell's diagonal (0.71 cell) off, in steps; the
 * smoothing removes the steps (a staircase's ripple of period P cells is damped by
 * exp(−2π²σ²/P²)), and on straight boundaries at various slopes the drawn line stays within about
 * a third of a cell of the true one away from the grid's edges, and within the cells' own 0.71
 * along them, where fewer cells inform it (test/plot/regions.test.ts measures both). Corners
 * where three classes meet are rounded off by about σ. A pixel whose own cell is missing from the
 * grid stays transparent. */

/** Standard deviation of the smoothing, in cells, and the kernel's half-width (3σ, rounded up). */
const SIGMA = 0.7;
const RADIUS = Math.ceil(3 * SIGMA);
const KERNEL = Array.from({ length: 2 * RADIUS + 1 }, (_, t) => Math.exp(-((t - RADIUS) ** 2) / (2 * SIGMA * SIGMA)));

/** A grid cell: lower-left corner (x, y) and the class predicted in it. */
export interface GridCell {
  x: number;
  y: number;
  label: string;
}

/** The grid on its lattice: origin, step, size, and the class index of every cell (−1: none). */
export interface Lattice {
  x0: number;
  y0: number;
  step: number;
  nx: number;
  ny: number;
  /** cells[j·nx + i] = class index of cell (i, j), j counting up from y0; −1 where the grid has no cell. */
  cells: Int32Array;
}

/**
 * Places the cells on the lattice x₀ + i·step, y₀ + j·step (x₀, y₀ the smallest corner
 * coordinates). A corner more than a quarter step from the lattice is a RangeError, as is a
 * label outside `classes`.
 */
export function latticeOf(grid: readonly GridCell[], step: number, classes: readonly string[]): Lattice {
  if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) throw new RangeError(`decisionRegions: step must be a positive number, got ${String(step)}`);
  if (grid.length === 0) throw new RangeError('decisionRegions: grid is empty');
  let x0 = Infinity;
  let y0 = Infinity;
  for (const g of grid) {
    if (!Number.isFinite(g.x) || !Number.isFinite(g.y)) throw new RangeError(`decisionRegions: grid cell (${g.x}, ${g.y}) is not a finite point`);
    x0 = Math.min(x0, g.x);
    y0 = Math.min(y0, g.y);
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  const ij = grid.map((g) => {
    const i = Math.round((g.x - x0) / step);
    const j = Math.round((g.y - y0) / step);
    if (Math.abs(g.x - (x0 + i * step)) > step / 4 || Math.abs(g.y - (y0 + j * step)) > step / 4) {
      throw new RangeError(`decisionRegions: grid cell (${g.x}, ${g.y}) is not on the lattice of step ${step} from (${x0}, ${y0})`);
    }
    return [i, j] as const;
  });
  const nx = Math.max(...ij.map(([i]) => i)) + 1;
  const ny = Math.max(...ij.map(([, j]) => j)) + 1;
  const cells = new Int32Array(nx * ny).fill(-1);
  grid.forEach((g, t) => {
    const k = index.get(g.label);
    if (k === undefined) throw new RangeError(`decisionRegions: grid cell (${g.x}, ${g.y}) has label ${JSON.stringify(g.label)}, which is not among the classes`);
    cells[ij[t]![1] * nx + ij[t]![0]] = k;
  });
  return { x0, y0, step, nx, ny, cells };
}

/**
 * The lattice resampled to a width × height image covering [x₀, x₀ + nx·h] × [y₀, y₀ + ny·h]
 * (row 0 at the top, the largest y). `colours[k]` ([r, g, b], 0…255) paints class k: pixel value
 * k + 1; value 0, transparent, is where the grid has no cell.
 */
export function regionImage(lattice: Lattice, width: number, height: number, colours: ReadonlyArray<readonly [number, number, number]>): IndexedImage {
  const { nx, ny, cells } = lattice;
  const K = colours.length;
  if (K > 255) throw new RangeError(`decisionRegions: ${K} classes; an indexed image holds at most 255`);
  const fields = smoothedIndicators(lattice, K);
  const at = (i: number, j: number) => cells[Math.min(Math.max(j, 0), ny - 1) * nx + Math.min(Math.max(i, 0), nx - 1)]!;
  const pixels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    // Cell-centre coordinates of the pixel centre; v grows upward, rows downward.
    const v = ((height - r - 0.5) / height) * ny - 0.5;
    const j = Math.min(Math.max(Math.floor(v), 0), Math.max(ny - 2, 0));
    const fy = ny === 1 ? 0 : v - j;
    for (let c = 0; c < width; c++) {
      const u = ((c + 0.5) / width) * nx - 0.5;
      if (at(Math.round(u), Math.round(v)) < 0) continue; // value 0: transparent
      const i = Math.min(Math.max(Math.floor(u), 0), Math.max(nx - 2, 0));
      const fx = nx === 1 ? 0 : u - i;
      const i1 = Math.min(i + 1, nx - 1);
      const j1 = Math.min(j + 1, ny - 1);
      let best = 0;
      let bestValue = -Infinity;
      for (let k = 0; k < K; k++) {
        const f = fields[k]!;
        const value = (1 - fy) * ((1 - fx) * f[j * nx + i]! + fx * f[j * nx + i1]!) + fy * ((1 - fx) * f[j1 * nx + i]! + fx * f[j1 * nx + i1]!);
        if (value > bestValue) {
          bestValue = value;
          best = k;
        }
      }
      pixels[r * width + c] = best + 1;
    }
  }
  return {
    width,
    height,
    pixels,
    palette: [[255, 255, 255, 0], ...colours.map(([r, g, b]) => [r, g, b, 255] as const)],
  };
}

/**
 * The indicator of every class on the lattice, convolved with the Gaussian KERNEL along i then j,
 * each value divided by the kernel weight of the cells that exist around it.
 */
function smoothedIndicators({ nx, ny, cells }: Lattice, K: number): Float64Array[] {
  const blur = (src: Float64Array, horizontal: boolean): Float64Array => {
    const out = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        let s = 0;
        for (let t = -RADIUS; t <= RADIUS; t++) {
          const ii = horizontal ? i + t : i;
          const jj = horizontal ? j : j + t;
          if (ii >= 0 && ii < nx && jj >= 0 && jj < ny) s += KERNEL[t + RADIUS]! * src[jj * nx + ii]!;
        }
        out[j * nx + i] = s;
      }
    }
    return out;
  };
  const smooth = (f: Float64Array) => blur(blur(f, true), false);
  const present = smooth(Float64Array.from(cells, (k) => (k >= 0 ? 1 : 0)));
  return Array.from({ length: K }, (_, k) => {
    const f = smooth(Float64Array.from(cells, (c) => (c === k ? 1 : 0)));
    for (let t = 0; t < f.length; t++) f[t] = present[t]! > 0 ? f[t]! / present[t]! : 0;
    return f;
  });
}

/** Data coordinates [x, y] of the centre of every pixel of a width × height image of the lattice, row by row from the top. */
export function pixelCentres({ x0, y0, step, nx, ny }: Lattice, width: number, height: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let r = 0; r < height; r++) {
    const y = y0 + ((height - r - 0.5) / height) * ny * step;
    for (let c = 0; c < width; c++) out.push([x0 + ((c + 0.5) / width) * nx * step, y]);
  }
  return out;
}

/**
 * The image of classes already known at every pixel centre (`classIndex[r·width + c]`, from
 * pixelCentres' order): exact boundaries, at pixel precision. Pixels whose cell is missing from
 * the grid stay transparent, as in regionImage.
 */
export function imageOfClasses(
  lattice: Lattice, width: number, height: number, colours: ReadonlyArray<readonly [number, number, number]>, classIndex: ArrayLike<number>,
): IndexedImage {
  const { nx, ny, cells } = lattice;
  if (colours.length > 255) throw new RangeError(`decisionRegions: ${colours.length} classes; an indexed image holds at most 255`);
  const pixels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const j = Math.min(Math.floor(((height - r - 0.5) / height) * ny), ny - 1);
    for (let c = 0; c < width; c++) {
      const i = Math.min(Math.floor(((c + 0.5) / width) * nx), nx - 1);
      if (cells[j * nx + i]! >= 0) pixels[r * width + c] = classIndex[r * width + c]! + 1;
    }
  }
  return { width, height, pixels, palette: [[255, 255, 255, 0], ...colours.map(([r, g, b]) => [r, g, b, 255] as const)] };
}
