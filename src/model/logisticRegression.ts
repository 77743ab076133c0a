import type { DataLike } from './inputs.js';
import type { Label } from '../util/labels.js';
import { classList } from './encoding.js';
import { LinearClassifier, type ModelKind } from './linearClassifier.js';
import type { ModelOptions } from './options.js';
import { parseModelJSON } from './serialize.js';

/**
 * Binary logistic regression: P(y = classes[1] | x) = σ(w·x + b), fitted by minimizing
 *
 *     J(w, b) = Σᵢ sᵢ·[softplus(zᵢ) − yᵢzᵢ] / Σᵢ sᵢ + ‖w‖² / (2·C·Σᵢ sᵢ),   zᵢ = w·xᵢ + b
 *
 * (the same minimizer as scikit-learn's `LogisticRegression(C=C)`). `classes` are the two labels,
 * sorted; the second is the "positive" class. `coef` is 1×d, `intercept` has one entry.
 *
 * ```ts
 * const model = new LogisticRegression({ C: 1, standardize: true }).fit(X, y);
 * model.predictProba(Xnew); // [[P(classes[0]), P(classes[1])], …]
 * ```
 */
export class LogisticRegression extends LinearClassifier {
  readonly kind: ModelKind = 'binary';

  constructor(options?: ModelOptions) {
    super(options);
  }

  protected logitCount(): number {
    return 1;
  }

  protected override checkClasses(classes: readonly Label[], what: string): void {
    super.checkClasses(classes, what);
    if (classes.length > 2) {
      throw new RangeError(
        `LogisticRegression is binary but ${what} has ${classes.length} classes (${classList(classes)}); use SoftmaxRegression for more than two`,
      );
    }
  }

  /** The logit zᵢ = w·xᵢ + b of every row (log-odds of classes[1]). */
  decisionFunction(X: DataLike): number[] {
    return Array.from(this.logitsOf(this.prepare(X)));
  }

  /** Restores a model written by `toJSON` (an object or a JSON string); TypeError if it is not one. */
  static fromJSON(json: unknown): LogisticRegression {
    const { state, options } = parseModelJSON(json);
    if (state.kind !== 'binary') throw new TypeError(`not a LogisticRegression model: it is a ${state.kind} model`);
    const model = new LogisticRegression(options);
    model.state = state;
    return model;
  }
}
