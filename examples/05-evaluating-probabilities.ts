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
  type ChartSpec, LogisticRegression, brierScore, calibrationCurve, takeRows, loadBundled, reliabilityChart, rocAuc, rocChart, rocCurve, stratifiedSplit,
} from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const ds = loadBundled('breast-cancer');
const { train, test } = stratifiedSplit(ds.y!, 0.3, 1);
const tr = takeRows(ds, train);
const te = takeRows(ds, test);

// %%
const model = new LogisticRegression({ C: 1, standardize: true }).fit(tr.X, tr.y);
const positive = model.classes[1]!;
const p = model.predictProba(te.X).map((row) => row[1]!);
const y01 = te.y.map((v) => (v === positive ? 1 : 0));
const auc = rocAuc(y01, p);
console.log(`held out: ${te.y.length} rows; log loss ${model.logLoss(te.X, te.y).toFixed(4)}; AUC ${auc.toFixed(4)}; Brier ${brierScore(y01, p).toFixed(4)}`);
const roc = rocCurve(y01, p);
pictures.push([rocChart(roc.fpr, roc.tpr, auc, `Breast cancer: held-out ROC curve (positive: ${String(positive)})`), join(out, '05-roc.svg')]);

// %%
const cal = calibrationCurve(y01, p, 10);
cal.meanPredicted.forEach((m, b) => console.log(`  bin mean p ${m.toFixed(3)}  observed ${cal.fractionPositive[b]!.toFixed(3)}  (${cal.count[b]} rows)`));
pictures.push([reliabilityChart(cal.meanPredicted, cal.fractionPositive, 'Breast cancer: held-out reliability diagram (10 bins)'), join(out, '05-calibration.svg')]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
