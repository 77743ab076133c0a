import { describe, expect, it } from 'vitest';
import { dense } from '../../src/backend/dense.js';
import { jsKernels } from '../../src/backend/kernels.js';
import { threadedKernels } from '../../src/backend/threads.js';
import { binomialLoss } from '../../src/loss/binomial.js';
import { makeLayout } from '../../src/loss/layout.js';
import { multinomialLoss } from '../../src/loss/multinomial.js';
import { LinearModelObjective } from '../../src/loss/objective.js';
import { newton } from '../../src/optim/newton.js';
import { randomProblem } from '../helpers/random.js';

// The threaded backend must compute what the serial one does: the same logits and, up to the order
// of the partial sums, the same gradients; and a whole fit must reach the same optimum.
describe.each([1, 4])('threaded kernels agree with the serial ones (K = %i)', (K) => {
  const n = 1001;
  const d = 7;
  const { X, y, w, vec } = randomProblem(n, d, K === 1 ? 2 : K, 21);
  const M = dense(X, n, d);
  const make = (kernels: ReturnType<typeof jsKernels>) =>
    new LinearModelObjective({ kernels, loss: K === 1 ? binomialLoss : multinomialLoss(K), layout: makeLayout(d, K, true), y, weights: w, C: 0.5 });
  const threaded = threadedKernels(M, 3);
  const serial = make(jsKernels(M));
  const parallel = make(threaded);
  const x = vec(serial.dim, 0.3);

  it('value, gradient and Hessian-vector product', () => {
    const g1 = new Float64Array(serial.dim);
    const g2 = new Float64Array(serial.dim);
    const f1 = serial.valueAndGradient(x, g1);
    const f2 = parallel.valueAndGradient(x, g2);
    expect(f2).toBeCloseTo(f1, 13);
    for (let j = 0; j < g1.length; j++) expect(Math.abs(g2[j]! - g1[j]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(g1[j]!)));
    const v = vec(serial.dim);
    const h1 = new Float64Array(serial.dim);
    const h2 = new Float64Array(serial.dim);
    serial.hessVec(x)(v, h1);
    parallel.hessVec(x)(v, h2);
    for (let j = 0; j < h1.length; j++) expect(Math.abs(h2[j]! - h1[j]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(h1[j]!)));
  });

  it('the same optimum, and the same result twice (deterministic reduction)', () => {
    const r1 = newton(serial, new Float64Array(serial.dim), { maxIter: 50, tol: 1e-11 });
    const r2 = newton(parallel, new Float64Array(serial.dim), { maxIter: 50, tol: 1e-11 });
    const r3 = newton(parallel, new Float64Array(serial.dim), { maxIter: 50, tol: 1e-11 });
    expect(r2.value).toBeCloseTo(r1.value, 12);
    expect(Array.from(r3.x)).toEqual(Array.from(r2.x));
    threaded.dispose?.();
  });
});
