// %% [markdown]
// # Four solvers on breast cancer, raw and standardized
//
// Binary logistic regression (C = 1) on the 569 × 30 breast-cancer data, fitted by gradient descent
// (Armijo backtracking), mini-batch SGD, L-BFGS and trust-region Newton-CG. The chart shows the gap
// J(iteration) − J* on a log scale, J* being Newton's optimum at a tight tolerance.
// Raw features span five orders of magnitude (areas in the thousands, fractal dimensions near 0.06):
// first-order methods crawl there, while Newton is unaffected by the scaling.
//
// Run: `npx ts-node examples/02-breast-cancer-solvers.ts`; pictures go to examples/output/.

// %%
import { join } from 'node:path';
import { type ChartSpec, type Solver, fit, lineChart, loadBundled } from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];
const { table, target } = loadBundled('breast-cancer');

// %%
// ('auto', the default, is lbfgs handing over to newton when lbfgs is slow.)
type Single = Exclude<Solver, 'auto'>;
const solvers: Single[] = ['gd', 'sgd', 'lbfgs', 'newton'];
const limits: Record<Single, number> = { gd: 2000, sgd: 100, lbfgs: 1000, newton: 100 };
for (const standardize of [false, true]) {
  const best = fit(table, { target, standardize, solver: 'newton', tol: 1e-13 }).diagnostics.objective;
  const series = solvers.map((solver) => {
    const m = fit(table, { target, standardize, solver, maxIter: limits[solver] });
    const d = m.diagnostics;
    console.log(
      `${standardize ? 'standardized' : 'raw         '}  ${solver.padEnd(6)} ${String(d.iterations).padStart(5)} iterations  ` +
        `J − J* = ${(d.objective - best).toExponential(2)}  ${d.converged ? 'converged' : `stopped: ${d.reason}`}  (${d.fitSeconds.toFixed(3)} s)`,
    );
    // Floor at 1e-16: the gap can reach 0 (or −ulp) at the optimum, which a log axis cannot show.
    const gap = d.history.map((v) => Math.max(v - best, 1e-16));
    return { name: solver, x: gap.map((_, k) => k + 1), y: gap };
  });
  pictures.push([
    lineChart(series, {
      title: `Breast cancer, ${standardize ? 'standardized' : 'raw'} features: objective gap by iteration`,
      xTitle: 'iteration (epoch for sgd) + 1, log scale', yTitle: 'J − J* (log scale)', logX: true, logY: true, legendTitle: 'solver',
    }),
    join(out, `02-solvers-${standardize ? 'standardized' : 'raw'}.svg`),
  ]);
}

// %%
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
