/**
 * logreg: binary logistic regression and multinomial softmax regression, fitted by minimizing the
 * negative log-likelihood (with optional L2 penalty), for TypeScript. Public API only.
 */
export {
  LogisticRegression, SoftmaxRegression, LinearClassifier, fit, predict, loadModel, SOLVERS, defaultMaxIter,
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
export { FormulaError } from './design/formula.js';
export { type Design, type MissingPolicy, MISSING_POLICIES } from './design/modelFrame.js';
export { type DenseMatrix, type MatrixLike, dense } from './backend/dense.js';
export { warmUp } from './backend/pool.js';
export type { Label } from './util/labels.js';
export type { OptimizeResult, StopReason, IterationInfo } from './optim/types.js';
// Chart specifications (plain data); rendering them to SVG is in the 'logreg/plot' entry (vega).
export {
  lineChart, decisionRegions, confusionHeatmap, rocChart, reliabilityChart, calibrationChart, precisionRecallChart, gainsChart,
  type ChartSpec, type Series, type LineChartOptions,
} from './plot/charts.js';
