export { LogisticRegression } from './logisticRegression.js';
export { SoftmaxRegression } from './softmaxRegression.js';
export {
  LinearClassifier, type FitDiagnostics, type FitOptions, type EvaluateOptions, type ModelKind, type Scored,
} from './linearClassifier.js';
export { fit, predict, loadModel, type Classifier, type FitFunctionOptions } from './fit.js';
export { type ModelOptions, type Solver, type ClassWeight, type Penalty, SOLVERS, PENALTIES, defaultMaxIter } from './options.js';
export { type ModelJSON, MODEL_FORMAT, MODEL_VERSION } from './serialize.js';
export { evaluateModel, evaluationOf, type Evaluation } from './evaluate.js';
export { type Inference, InferenceError } from './inference.js';
export type { DataLike } from './inputs.js';
