// %% [markdown]
// # Digits: choosing C by cross-validation, the L1 path, and the chosen model's confusion matrix
//
// Softmax regression on the 1797 8×8 digit images (64 pixel features, standardized). A stratified
// 25% of the images is set aside first and never used to choose anything: C is chosen by 5-fold
// cross-validation on the other 75% (`crossValidate`, the same as `logreg cv`), the model refitted
// there at the chosen C, and only then scored once on the held-out images.
//
// Then the lasso (L1) path on the same rows: how many of the 64 × 10 coefficients each C keeps.
//
// Run: `npx ts-node examples/04-digits.ts`; pictures go to examples/output/.

// %%
import { join } from 'node:path';
import {
  type ChartSpec, confusionHeatmap, crossValidate, cvChart, evaluateModel, loadBundled, pathChart, regularizationPath, stratifiedSplit,
  takeTableRows,
} from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const { table, target } = loadBundled('digits');
const digit = table.columns.find((c) => c.name === target)!;
if (digit.kind !== 'numeric') throw new Error('digits: the target is not numeric');
const { train, test } = stratifiedSplit(digit.values, 0.25, 0);
const tr = takeTableRows(table, train);
const te = takeTableRows(table, test);

// %% [markdown]
// ## C by 5-fold cross-validation (L2, held-out log loss), on the training rows only

// %%
const cv = crossValidate(tr, { target, standardize: true, Cs: 12, folds: 5, scoring: 'log_loss' });
for (const p of cv.best.points) {
  console.log(`C = ${p.C.toPrecision(3).padStart(8)}  cross-validated log loss ${p.mean.toFixed(4)} ± ${p.stdErr.toFixed(4)}`);
}
console.log(`C_min = ${cv.CMin.toPrecision(3)}, C_1se = ${cv.C1se.toPrecision(3)}; refitted at C = ${cv.selected.C.toPrecision(3)} (${cv.seconds.toFixed(1)} s)`);
pictures.push([cvChart(cv.best.points, cv.CMin, cv.C1se, 'cross-validated log loss', 'Digits: 5-fold cross-validation of C (L2)'), join(out, '04-digits-cv.svg')]);

// %% [markdown]
// ## The chosen model on the held-out images (scored once)

// %%
const model = cv.model!;
const ev = evaluateModel(model, te);
console.log(`chosen C = ${model.options.C.toPrecision(3)}: held-out log loss ${ev.logLoss.toFixed(4)}, accuracy ${ev.accuracy.toFixed(4)} on ${ev.n} images`);
pictures.push([
  confusionHeatmap(ev.confusion.labels.map(String), ev.confusion.matrix, `Digits: held-out confusion matrix (C = ${model.options.C.toPrecision(3)}, chosen by CV)`),
  join(out, '04-digits-confusion.svg'),
]);

// %% [markdown]
// ## The L1 path: which coefficients each C keeps

// %%
const path = regularizationPath(tr, { target, standardize: true, penalty: 'l1', Cs: 12 });
console.log(`L1 path: ${path.steps.length} values of C, every coefficient 0 up to C = ${path.CZero!.toPrecision(3)}; ${path.passes} passes, ${path.hessians} Hessians, ${path.seconds.toFixed(1)} s`);
for (const s of path.steps.filter((_, t) => t % 3 === 0)) console.log(`  C = ${s.C.toPrecision(3).padStart(8)}  ${String(s.nonzero).padStart(3)} non-zero of ${64 * 10}`);
const names = path.classes.flatMap((c) => path.featureNames.map((f) => `${c}: ${f}`));
pictures.push([
  pathChart(path.steps.map((s) => s.C), path.steps.map((s) => s.coef.flat()), names, path.steps.map((s) => s.nonzero), 'Digits: L1 path of the softmax coefficients'),
  join(out, '04-digits-l1-path.svg'),
]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
