// %% [markdown]
// # Digits: ten classes, a confusion matrix and the regularization path
//
// Softmax regression on the 1797 8×8 digit images (64 pixel features, standardized), with a
// stratified 25% hold-out. The confusion matrix shows which digits are mistaken for which; the
// regularization path shows held-out log loss and accuracy as C grows from strong to weak penalty:
// too small a C underfits, too large a C overfits (the held-out log loss turns up again).
//
// Run: `npx ts-node examples/04-digits.ts`; pictures go to examples/output/.

// %%
import { join } from 'node:path';
import {
  type ChartSpec, SoftmaxRegression, confusionHeatmap, takeTableRows, evaluateModel, lineChart, loadBundled, stratifiedSplit,
} from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const { table, target } = loadBundled('digits');
const digit = table.columns.find((c) => c.name === target)!;
if (digit.kind !== 'numeric') throw new Error('digits: the target is not numeric');
const { train, test } = stratifiedSplit(digit.values, 0.25, 0);
const tr = takeTableRows(table, train);
const te = takeTableRows(table, test);

// %%
const model = new SoftmaxRegression({ C: 0.1, standardize: true }).fit(tr, null, { target });
const ev = evaluateModel(model, te);
console.log(`C = 0.1: held-out log loss ${ev.logLoss.toFixed(4)}, accuracy ${ev.accuracy.toFixed(4)} on ${ev.n} images`);
pictures.push([confusionHeatmap(ev.confusion.labels.map(String), ev.confusion.matrix, 'Digits: held-out confusion matrix (C = 0.1)'), join(out, '04-digits-confusion.svg')]);

// %%
const Cs = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];
const path = Cs.map((C) => {
  const m = new SoftmaxRegression({ C, standardize: true }).fit(tr, null, { target });
  const e = evaluateModel(m, te);
  console.log(`C = ${String(C).padEnd(6)} held-out log loss ${e.logLoss.toFixed(4)}  accuracy ${e.accuracy.toFixed(4)}  (${m.diagnostics.iterations} iterations)`);
  return e;
});
pictures.push([
  lineChart([{ name: 'held-out log loss', x: Cs, y: path.map((e) => e.logLoss) }], {
    title: 'Digits: regularization path, held-out log loss', xTitle: 'C (inverse regularization strength, log scale)', yTitle: 'log loss', logX: true, points: true,
  }),
  join(out, '04-digits-path-logloss.svg'),
]);
pictures.push([
  lineChart([{ name: 'held-out accuracy', x: Cs, y: path.map((e) => e.accuracy) }], {
    title: 'Digits: regularization path, held-out accuracy', xTitle: 'C (inverse regularization strength, log scale)', yTitle: 'accuracy', logX: true, points: true,
  }),
  join(out, '04-digits-path-accuracy.svg'),
]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
