// %% [markdown]
// # Evaluating probabilities: ROC curve and reliability diagram
//
// A classifier's probabilities can rank well (ROC curve, AUC) and still be over- or under-confident
// (reliability diagram: within each bin of predicted probability, the observed fraction of
// positives should match the mean prediction, the diagonal). Breast cancer, standardized, C = 1,
// stratified 30% hold-out; positive class "malignant".
//
// Run: `npx ts-node examples/05-evaluating-probabilities.ts`; pictures go to examples/output/.

// %%
import { join } from 'node:path';
import {
  type ChartSpec, LogisticRegression, brierScore, calibrationCurve, takeTableRows, loadBundled, reliabilityChart, rocAuc, rocChart, rocCurve,
  stratifiedSplit,
} from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const { table, target } = loadBundled('breast-cancer');
const diagnosis = table.columns.find((c) => c.name === target)!;
if (diagnosis.kind !== 'categorical') throw new Error('breast-cancer: the target is not categorical');
const labels = Array.from(diagnosis.codes, (k) => diagnosis.levels[k]!);
const { train, test } = stratifiedSplit(labels, 0.3, 1);
const tr = takeTableRows(table, train);
const te = takeTableRows(table, test);

// %%
const model = new LogisticRegression({ C: 1, standardize: true }).fit(tr, null, { target });
const positive = model.classes[1]!;
const p = model.predictProba(te).map((row) => row[1]!);
const y01 = Array.from(test, (i) => (labels[i] === positive ? 1 : 0));
const auc = rocAuc(y01, p);
console.log(`held out: ${test.length} rows; log loss ${model.logLoss(te).toFixed(4)}; AUC ${auc.toFixed(4)}; Brier ${brierScore(y01, p).toFixed(4)}`);
const roc = rocCurve(y01, p);
pictures.push([rocChart(roc.fpr, roc.tpr, auc, `Breast cancer: held-out ROC curve (positive: ${String(positive)})`), join(out, '05-roc.svg')]);

// %%
const cal = calibrationCurve(y01, p, 10);
cal.meanPredicted.forEach((m, b) => console.log(`  bin mean p ${m.toFixed(3)}  observed ${cal.fractionPositive[b]!.toFixed(3)}  (${cal.count[b]} rows)`));
pictures.push([reliabilityChart(cal.meanPredicted, cal.fractionPositive, 'Breast cancer: held-out reliability diagram (10 bins)'), join(out, '05-calibration.svg')]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
