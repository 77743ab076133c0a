import { createRng } from '../util/random.js';
import { counters, isConverged } from './result.js';
import type { OptimizeResult, OptimizerOptions, StochasticObjective, StopReason } from './types.js';
import { allFinite, normInf } from './vec.js';

/** Options of `sgd`. maxIter counts epochs (passes over the shuffled samples). */
export interface SgdOptions extends OptimizerOptions {
  /** η₀, the step of the first mini-batch. */
  learningRate: number;
  /** Samples per mini-batch (the last batch of an epoch may be smaller). */
  batchSize: number;
  /** Seed of the per-epoch shuffles: the same seed gives the same result. */
  seed: number;
  /** 'constant': ηₜ = η₀. 'invscaling': ηₜ = η₀ / √(1 + t / B), t counting batches, B batches per epoch. */
  schedule: 'constant' | 'invscaling';
  /** Polyak–Ruppert averaging: return the running average of the iterates of the last half of the epochs run so far. */
  averaging: boolean;
}

/**
 * Mini-batch stochastic gradient descent: each epoch shuffles the samples (seeded), then steps
 * x ← x − ηₜ·∇f_B(x) on consecutive batches B. With averaging, the returned point is the mean of
 * the iterates since the averaging start (the beginning of epoch ⌊k/2⌋ when k epochs have run,
 * restarted each time that boundary moves), which cancels most of the gradient noise near the optimum.
 * After every epoch the full objective is evaluated once at the point SGD would return: that gives
 * the history, the stopping test ‖∇f‖∞ ≤ tol and the non-finite check.
 */
export function sgd(obj: StochasticObjective, x0: Float64Array, options: SgdOptions): OptimizeResult {
  const n = obj.dim;
  const N = obj.nSamples;
  const ev = counters();
  const rng = createRng(options.seed);
  const order = Uint32Array.from({ length: N }, (_, i) => i);
  const batch = Math.min(options.batchSize, N);
  const perEpoch = Math.ceil(N / batch);
  const x = Float64Array.from(x0);
  const avg = Float64Array.from(x0);
  let avgCount = 0;
  let avgStartEpoch = 0;
  const g = new Float64Array(n);
  const full = new Float64Array(n);
  const eval0 = obj.valueAndGradient(x, full);
  ev.valueAndGradient++;
  const history = [eval0];
  let value = eval0;
  let gnorm = normInf(full);
  let reason: StopReason = 'max-iterations';
  let epochs = 0;
  let t = 0;
  const current = () => (options.averaging && avgCount > 0 ? avg : x);

  if (!Number.isFinite(value) || !allFinite(full)) reason = 'non-finite';
  else if (gnorm <= options.tol) reason = 'gradient-tolerance';
  else {
    while (epochs < options.maxIter) {
      const start = Math.floor(epochs / 2);
      if (options.averaging && start !== avgStartEpoch) {
        // Move the averaging window to the last half of the epochs: restart from the current iterate.
        avgStartEpoch = start;
        avg.set(x);
        avgCount = 1;
      }
      rng.shuffle(order);
      for (let b = 0; b < perEpoch; b++) {
        const count = Math.min(batch, N - b * batch);
        const rows = order.subarray(b * batch, b * batch + count);
        obj.batchValueAndGradient(x, g, rows, count);
        ev.batch++;
        const eta = options.schedule === 'constant' ? options.learningRate : options.learningRate / Math.sqrt(1 + t / perEpoch);
        for (let i = 0; i < n; i++) x[i] = x[i]! - eta * g[i]!;
        t++;
        if (options.averaging) {
          avgCount++;
          const w = 1 / avgCount;
          for (let i = 0; i < n; i++) avg[i] = avg[i]! + w * (x[i]! - avg[i]!);
        }
      }
      epochs++;
      value = obj.valueAndGradient(current(), full);
      ev.valueAndGradient++;
      gnorm = normInf(full);
      history.push(value);
      if (!Number.isFinite(value) || !allFinite(full) || !allFinite(x)) {
        reason = 'non-finite';
        break;
      }
      options.onIteration?.({ iteration: epochs, value, gradNorm: gnorm });
      if (gnorm <= options.tol) {
        reason = 'gradient-tolerance';
        break;
      }
    }
  }
  return {
    x: Float64Array.from(current()), value, gradNorm: gnorm, iterations: epochs,
    converged: isConverged(reason, gnorm, options.tol), reason, history, evaluations: ev,
  };
}
