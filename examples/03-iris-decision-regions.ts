// %% [markdown]
// # Softmax regression on iris: decision regions
//
// Three species, two features (petal length and width), so the fitted model can be drawn: each
// point of a grid is coloured by the class the model predicts there, under the training points.
// Softmax regression's boundaries are straight lines (where two classes' logits are equal).
//
// Run: `npx ts-node examples/03-iris-decision-regions.ts`; pictures go to examples/output/.

// %%
import { join } from 'node:path';
import { type ChartSpec, SoftmaxRegression, decisionRegions, loadBundled } from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const ds = loadBundled('iris');
const cols = [ds.featureNames.indexOf('petal_length'), ds.featureNames.indexOf('petal_width')];
const X2 = Array.from({ length: ds.n }, (_, i) => cols.map((j) => ds.X[i * ds.d + j]!));

// %%
const model = new SoftmaxRegression({ C: 10 }).fit(X2, ds.y!, { featureNames: ['petal_length', 'petal_width'] });
console.log(`classes ${model.classes.join(', ')}; training accuracy ${model.score(X2, ds.y!).toFixed(4)}; ${model.diagnostics.iterations} Newton iterations`);
model.coef.forEach((w, k) => console.log(`  ${String(model.classes[k]).padEnd(10)} z = ${w[0]!.toFixed(3)}·length + ${w[1]!.toFixed(3)}·width + ${model.intercept[k]!.toFixed(3)}`));

// %%
const step = 0.05;
const grid: Array<{ x: number; y: number; label: string }> = [];
const cells: number[][] = [];
for (let gx = 0.8; gx < 7.2; gx += step) for (let gy = 0; gy < 2.7; gy += step) cells.push([gx, gy]);
model.predict(cells.map(([a, b]) => [a! + step / 2, b! + step / 2])).forEach((label, t) => grid.push({ x: cells[t]![0]!, y: cells[t]![1]!, label: String(label) }));
const points = X2.map((p, i) => ({ x: p[0]!, y: p[1]!, label: String(ds.y![i]) }));
pictures.push([
  decisionRegions(grid, points, { title: 'Iris: softmax regression decision regions (C = 10)', xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', step, legendTitle: 'species' }),
  join(out, '03-iris-regions.svg'),
]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
