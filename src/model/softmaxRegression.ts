import type { DataLike } from './inputs.js';
import { LinearClassifier, type ModelKind } from './linearClassifier.js';
import type { ModelOptions } from './options.js';
import { parseModelJSON } from './serialize.js';

/**
 * Multinomial (softmax) regression over K ≥ 2 classes: P(y = classes[k] | x) = softmax(W·x + b)ₖ,
 * fitted by minimizing
 *
 *     J(W, b) = Σᵢ sᵢ·[logsumexp(zᵢ) − zᵢ,yᵢ] / Σᵢ sᵢ + ‖W‖²_F / (2·C·Σᵢ sᵢ),   zᵢ = W·xᵢ + b
 *
 * with K coefficient vectors (the symmetric parametrization of scikit-learn's multinomial
 * `LogisticRegression`). Softmax is unchanged by adding one vector to every row of W, so the model
 * is returned in its canonical form Σₖ Wₖ = 0, Σₖ bₖ = 0 (which the L2 optimum satisfies anyway).
 * `coef` is K×d, `intercept` has K entries, both in `classes` order.
 */
export class SoftmaxRegression extends LinearClassifier {
  readonly kind: ModelKind = 'softmax';

  constructor(options?: ModelOptions) {
    super(options);
  }

  protected logitCount(nClasses: number): number {
    return nClasses;
  }

  /** The logits zᵢ = W·xᵢ + b of every row, n×K. */
  decisionFunction(X: DataLike): number[][] {
    const Z = this.logitsOf(this.prepare(X));
    const K = this.fittedState().intercept.length;
    return Array.from({ length: Z.length / K }, (_, i) => Array.from(Z.subarray(i * K, (i + 1) * K)));
  }

  /** Restores a model written by `toJSON` (an object or a JSON string); TypeError if it is not one. */
  static fromJSON(json: unknown): SoftmaxRegression {
    const { state, options } = parseModelJSON(json);
    if (state.kind !== 'softmax') throw new TypeError(`not a SoftmaxRegression model: it is a ${state.kind} model`);
    const model = new SoftmaxRegression(options);
    model.state = state;
    return model;
  }
}
