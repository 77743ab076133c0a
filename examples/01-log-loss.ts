// %% [markdown]
// # The log-likelihood loss
//
// For a label y ∈ {0, 1} and a predicted probability p = P(y = 1), the loss of one row is
// −[y·log p + (1 − y)·log(1 − p)]; over several classes it is −log of the probability given to the
// true class. A model that is confidently wrong pays without bound: −log p → ∞ as p → 0, which is
// why functions on probabilities clip p to [eps, 1 − eps], and why training works on logits instead.
//
// Run: `npx ts-node examples/01-log-loss.ts` (after `npm install`); pictures go to examples/output/.

// %%
import { join } from 'node:path';
import { type ChartSpec, binaryLogLoss, lineChart, logLoss } from '../dist/index.js';

const out = join(__dirname, 'output');
const pictures: Array<[ChartSpec, string]> = [];

// %% [markdown]
// ## The worked examples
// Binary: y = [1, 0, 1, 1, 0], p = [0.9, 0.1, 0.8, 0.7, 0.3]. Multiclass: labels [0, 2, 1, 2] with
// one row of probabilities per sample. Both agree with scikit-learn's `log_loss` to the last bit.

// %%
const binary = binaryLogLoss([1, 0, 1, 1, 0], [0.9, 0.1, 0.8, 0.7, 0.3]);
const multi = logLoss([0, 2, 1, 2], [[0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1], [0.05, 0.1, 0.85]]);
console.log(`binary log loss     ${binary}   (scikit-learn: 0.22944289410146546)`);
console.log(`multiclass log loss ${multi}   (scikit-learn: 0.2119244851021358)`);

// %% [markdown]
// ## The cost of a confident mistake
// −log p for the true class, p from 1e-6 to 1: halving p always costs log 2 ≈ 0.69 more, so a
// probability of 1e-6 on the true class costs 13.8, as much as twenty rows predicted at p = 0.5.
// Clipping at eps = 1e-15 caps a single row's loss at −log(1e-15) ≈ 34.5 instead of infinity.

// %%
const ps = Array.from({ length: 121 }, (_, i) => 10 ** (-6 + i / 20));
console.log(`−log p at p = 0.5: ${(-Math.log(0.5)).toFixed(3)}, at 1e-3: ${(-Math.log(1e-3)).toFixed(3)}, at 1e-6: ${(-Math.log(1e-6)).toFixed(3)}`);
console.log(`a certain mistake (p = 0) after clipping at 1e-15: ${binaryLogLoss([1], [0]).toFixed(3)}`);
pictures.push([
  lineChart(
    [
      { name: '−log p (true class)', x: ps, y: ps.map((p) => -Math.log(p)) },
      { name: 'clipping cap −log(1e-15)', x: [1e-6, 1], y: [-Math.log(1e-15), -Math.log(1e-15)] },
    ],
    { title: 'Log loss of one row against the probability of its true class', xTitle: 'probability given to the true class (log scale)', yTitle: 'loss −log p', logX: true, legendTitle: 'curve' },
  ),
  join(out, '01-log-loss.svg'),
]);

// %%
// Render the pictures (the renderer is an ES module, loaded with import()).
import('../dist/plot/index.js').then((plot) => plot.writeSvgsAndReport(pictures));
