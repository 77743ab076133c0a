/**
 * logreg: binary logistic regression and multinomial softmax regression, fitted by minimizing the
 * negative log-likelihood (with optional L2 penalty), for TypeScript. Public API only.
 */
export {
  LogisticRegression, SoftmaxRegression, LinearClassifier, fit, predict, loadModel, SOLVERS, PENALTIES, defaultMaxIter, type Penalty,
  type Classifier, type FitFunctionOptions, type FitOptions, type EvaluateOptions, type FitDiagnostics, type Scored,
  type ModelOptions, type ModelKind, type Solver, type ClassWeight, type ModelJSON, MODEL_FORMAT, MODEL_VERSION,
  evaluateModel, evaluationOf, type Evaluation, type Inference, InferenceError, type DataLike,
} from './model/index.js';
export {
  binaryLogLoss, logLoss, accuracy, balancedAccuracy, confusionMatrix, precisionRecallF1, rocCurve, rocAuc, rocAucOvr, brierScore,
  multiclassBrierScore, calibrationCurve, precisionRecallCurve, averagePrecision, bestF1Threshold, cumulativeGains,
  confusionAtThreshold, predictAtThreshold, evaluationReport,
  type LogLossOptions, type MulticlassLogLossOptions, type ClassScores, type RocCurve, type OvrRocAuc, type PrecisionRecallCurve,
  type BestF1, type CalibrationCurve, type CalibrationOptions, type CalibrationStrategy, type CumulativeGains, type BinaryConfusion,
  type EvaluationReport,
} from './metrics/index.js';
export {
  readCsv, readCsvSource, bytesSource, toTable, takeTableRows, bundledDatasets, findBundled, datasetsDir, loadBundled, stratifiedSplit,
  DataError, DEFAULT_NA_VALUES, type Table, type Column, type NumericColumn, type CategoricalColumn, type TableLike, type Records,
  type ColumnObject, type CsvOptions, type ByteSource, type BundledDataset,
} from './data/index.js';
export {
  type SummaryOptions, type CovType, type MargeffAt, type MargeffMethod, type MargeffOptions, type WeightsAre, COV_TYPES,
} from './model/inference/options.js';
export type { RatioTable } from './model/inference.js';
export type { MarginalEffects } from './model/inference/margeff.js';
export { type WaldTest, HypothesisError } from './model/inference/wald.js';
export type { ProbabilityIntervals } from './model/inference/predictionIntervals.js';
export { FormulaError } from './design/formula.js';
export { type Design, type MissingPolicy, MISSING_POLICIES } from './design/modelFrame.js';
export { type DenseMatrix, type MatrixLike, dense } from './backend/dense.js';
export { warmUp } from './backend/pool.js';
// Every runtime: ready() loads the kernels (required once in a browser), fitAsync fits off the page's thread.
export { ready, runtimeInfo, type ReadyOptions, type RuntimeInfo } from './async/ready.js';
export { setKernelSource } from './platform/kernels.js';
export type { KernelSource } from './platform/types.js';
export { fitAsync, setFitWorkerUrl } from './async/fitAsync.js';
export { MissingPackageError } from './util/lazy.js';
export { toOnnx, type OnnxOptions } from './export/index.js';
export type { Label } from './util/labels.js';
export type { OptimizeResult, StopReason, IterationInfo } from './optim/types.js';
// Chart specifications (plain data); rendering them to SVG is in the 'logreg/plot' entry (vega).
export {
  lineChart, decisionRegions, confusionHeatmap, rocChart, reliabilityChart, calibrationChart, precisionRecallChart, gainsChart, pathChart, cvChart,
  coefficientChart, type ChartSpec, type Series, type LineChartOptions, type CoefficientChartOptions,
} from './plot/charts.js';
// Model selection: regularization paths and cross-validation over C (and elastic-net mixing).
export { regularizationPath, type PathOptions, type PathPoint, type RegularizationPath } from './select/path.js';
export {
  crossValidate, SCORINGS, type CrossValidateOptions, type CrossValidation, type CvCurve, type CvPoint, type Scoring,
} from './select/cv.js';
export { stratifiedFolds } from './select/folds.js';
