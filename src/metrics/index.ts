export { binaryLogLoss, logLoss, DEFAULT_EPS, ROW_SUM_TOLERANCE, type LogLossOptions, type MulticlassLogLossOptions } from './logLoss.js';
export {
  accuracy, confusionMatrix, precisionRecallF1, scoresFromConfusion, balancedAccuracy, balancedAccuracyFromConfusion,
  type ClassScores, type ClassificationScores, type Confusion,
} from './classification.js';
export { rocCurve, rocAuc, rocAucOvr, type RocCurve, type OvrRocAuc } from './roc.js';
export { precisionRecallCurve, averagePrecision, bestF1Threshold, type PrecisionRecallCurve, type BestF1 } from './precisionRecall.js';
export { brierScore, multiclassBrierScore } from './brier.js';
export { calibrationCurve, type CalibrationCurve, type CalibrationOptions, type CalibrationStrategy } from './calibration.js';
export { cumulativeGains, type CumulativeGains } from './gains.js';
export { confusionAtThreshold, predictAtThreshold, type BinaryConfusion } from './threshold.js';
export {
  evaluationReport, type EvaluationReport, type EvaluationReportBase, type BinaryEvaluationReport, type MulticlassEvaluationReport,
  type EvaluationReportOptions,
} from './report.js';
export { type ProbabilityMatrix, PROBABILITY_ROW_TOLERANCE } from './validate.js';
