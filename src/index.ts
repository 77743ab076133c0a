/**
 * logreg: binary logistic regression and multinomial softmax regression, fitted by minimizing the
 * negative log-likelihood (with optional L2 penalty), for TypeScript. Public API only.
 */
export {
  LogisticRegression, SoftmaxRegression, LinearClassifier, fit, predict, loadModel, SOLVERS, defaultMaxIter,
  type Classifier, type FitFunctionOptions, type FitOptions, type EvaluateOptions, type FitDiagnostics,
  type ModelOptions, type ModelKind, type Solver, type ClassWeight, type ModelJSON, MODEL_FORMAT, MODEL_VERSION,
  evaluateModel, type Evaluation, type Inference, InferenceError,
} from './model/index.js';
export {
  binaryLogLoss, logLoss, accuracy, confusionMatrix, precisionRecallF1, rocCurve, rocAuc, brierScore, calibrationCurve,
  type LogLossOptions, type MulticlassLogLossOptions, type ClassScores,
} from './metrics/index.js';
export { readCsv, bundledDatasets, findBundled, datasetsDir, loadBundled, stratifiedSplit, takeRows, DataError, type Dataset, type ReadOptions, type BundledDataset } from './data/index.js';
export { type DenseMatrix, type MatrixLike, dense } from './backend/dense.js';
export { warmUp } from './backend/pool.js';
export type { Label } from './util/labels.js';
export type { OptimizeResult, StopReason, IterationInfo } from './optim/types.js';
// Chart specifications (plain data); rendering them to SVG is in the 'logreg/plot' entry (vega).
export { lineChart, decisionRegions, confusionHeatmap, rocChart, reliabilityChart, type ChartSpec, type Series, type LineChartOptions } from './plot/charts.js';
