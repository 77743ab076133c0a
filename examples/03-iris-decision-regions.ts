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
const { table } = loadBundled('iris');

// %%
// Every figure printed or drawn below comes from the fitted model: its options and its fit's
// diagnostics (the solver `auto` chooses the method, so the text cannot know it in advance).
const model = new SoftmaxRegression({ C: 10 }).fit(table, null, { formula: 'species ~ petal_length + petal_width' });
const d = model.diagnostics;
/** The diagnostics' method names ('lbfgs+newton': one, then the other) in words. */
const METHOD_NAMES: Record<string, string> = {
  'newton-exact': 'exact Newton', newton: 'trust-region Newton-CG', lbfgs: 'L-BFGS', gd: 'gradient descent', sgd: 'SGD',
  'prox-newton': 'proximal Newton', prefix: 'a start fitted on a prefix of the rows',
};
const method = d.method.split('+').map((m) => METHOD_NAMES[m] ?? m).join(', then ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
console.log(`classes ${model.classes.join(', ')}; training accuracy ${model.score(table).toFixed(4)}`);
console.log(`solver ${d.solver}: ${method}, ${d.converged ? 'converged' : 'NOT converged'} after ${plural(d.iterations, 'iteration')} (${d.reason}), objective ${d.objective.toPrecision(10)}`);
const term = (v: number, name: string) => `${v < 0 ? '-' : '+'} ${Math.abs(v).toFixed(3)}${name}`;
model.coef.forEach((w, k) => {
  const z = `${w[0]!.toFixed(3)}·length ${term(w[1]!, '·width')} ${term(model.intercept[k]!, '')}`;
  console.log(`  ${String(model.classes[k]).padEnd(10)} z = ${z}`);
});

// %%
const step = 0.05;
const grid: Array<{ x: number; y: number; label: string }> = [];
const cells: number[][] = [];
for (let gx = 0.8; gx < 7.2; gx += step) for (let gy = 0; gy < 2.7; gy += step) cells.push([gx, gy]);
// The model reads records by column name, so a grid point is { petal_length, petal_width }.
const predict = (xy: Array<[number, number]>) => model.predict(xy.map(([a, b]) => ({ petal_length: a, petal_width: b }))).map(String);
predict(cells.map(([a, b]) => [a! + step / 2, b! + step / 2])).forEach((label, t) => grid.push({ x: cells[t]![0]!, y: cells[t]![1]!, label }));
const column = (name: string) => table.columns.find((c) => c.name === name)!;
const [length, width, species] = [column('petal_length'), column('petal_width'), column('species')];
if (length.kind !== 'numeric' || width.kind !== 'numeric' || species.kind !== 'categorical') throw new Error('unexpected iris columns');
const points = Array.from(length.values, (x, i) => ({ x, y: width.values[i]!, label: species.levels[species.codes[i]!]! }));
pictures.push([
  decisionRegions(grid, points, {
    title: `Iris: softmax regression decision regions (C = ${model.options.C})`, xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', step, legendTitle: 'species',
    predict,
  }),
  join(out, '03-iris-regions.svg'),
]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
