// %% [markdown]
// # Inference: robust standard errors, odds ratios, marginal effects, a forest plot
//
// Hosmer and Lemeshow's birth-weight data (R's MASS::birthwt, bundled as `birthwt`): 189 births,
// whether the baby weighed under 2.5 kg (`low`), with the mother's age, weight, race (a factor with
// three levels), smoking, previous premature labours (ptl), hypertension (ht), uterine irritability
// (ui) and physician visits (ftv). An unpenalized logistic regression with the probability of a
// low birth weight as the modelled outcome (`positiveClass: 'low'`), heteroskedasticity-robust
// (HC1) standard errors, odds ratios, average marginal effects and a Wald test that race does not
// matter. The figures are statsmodels' (`Logit(...).fit(cov_type=...)`, `get_margeff`, `wald_test`;
// test/fixtures/inference checks them to 1e-6).
//
// Run: `npx ts-node examples/06-inference.ts`; the picture goes to examples/output/.

// %%
import { join } from 'node:path';
import { type ChartSpec, coefficientChart, fit, loadBundled } from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const { table } = loadBundled('birthwt');
const model = fit(table, {
  formula: 'low ~ age + lwt + race + smoke + ptl + ht + ui + ftv', penalty: 'none', positiveClass: 'low',
});
console.log(`classes ${model.classes.join(' / ')}: the model gives P(${String(model.positiveClass)})`);

// %%
// Robust standard errors, odds ratios, marginal effects (with the discrete change for 0/1
// columns, as statsmodels' dummy=True) and a joint test of the two race indicators.
const inf = model.summary({
  covType: 'hc1', oddsRatios: true, margeff: { at: 'overall', dummy: true }, tests: ['race[T.other] = 0, race[T.white] = 0'],
});
const pad = (s: string, w: number) => s.padEnd(w);
const num = (v: number, d = 4) => v.toFixed(d).padStart(10);
console.log(`\n${inf.covType} standard errors, ${inf.confLevel * 100}% intervals; log-likelihood ${inf.logLikelihood.toFixed(4)}`);
console.log(`${pad('', 16)}${'coef'.padStart(10)}${'std err'.padStart(10)}${'P>|z|'.padStart(10)}${'odds ratio'.padStart(12)}${'[0.025'.padStart(10)}${'0.975]'.padStart(10)}`);
inf.names.forEach((name, c) => {
  const r = inf.oddsRatios!;
  console.log(`${pad(name, 16)}${num(inf.coef[c]!)}${num(inf.stdErr[c]!)}${num(inf.pValue[c]!)}${num(r.estimate[c]!, 3).padStart(12)}${num(r.low[c]!, 3)}${num(r.high[c]!, 3)}`);
});

// %%
const me = inf.margeff!;
console.log(`\naverage marginal effects on P(low); discrete change for ${me.dummyColumns.join(', ')}`);
me.names.forEach((name, k) => console.log(`${pad(name, 16)}${num(me.effect[k]!)}  ± ${(me.stdErr[k]! * 1.959964).toFixed(4)}  (p ${me.pValue[k]!.toFixed(4)})`));
for (const t of inf.tests) console.log(`\nWald test ${t.hypothesis}: χ²(${t.df}) = ${t.statistic.toFixed(3)}, p = ${t.pValue.toFixed(4)}`);

// %%
// The forest plot of the odds ratios (intercept left out), on a log scale around 1.
const rows = inf.names.map((_, c) => c).filter((c) => inf.names[c] !== 'intercept');
const r = inf.oddsRatios!;
pictures.push([
  coefficientChart(
    rows.map((c) => inf.names[c]!), rows.map((c) => r.estimate[c]!), rows.map((c) => r.low[c]!), rows.map((c) => r.high[c]!),
    'Low birth weight (birthwt): odds ratios with robust (HC1) 95% intervals',
    { xTitle: 'odds ratio of a low birth weight (log scale)', reference: 1, logX: true, subtitle: 'race against black', estimateLabel: 'odds ratios', intervalLabel: '95% intervals' },
  ),
  join(out, '06-odds-ratios.svg'),
]);
pictures.push([
  coefficientChart(me.names, me.effect, me.ciLow, me.ciHigh, 'Low birth weight (birthwt): average marginal effects on P(low)', {
    xTitle: 'change in P(low birth weight)', estimateLabel: 'average effects (discrete change for 0/1 columns)', intervalLabel: '95% intervals',
  }),
  join(out, '06-marginal-effects.svg'),
]);

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
