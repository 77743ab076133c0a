export { binaryLogLoss, logLoss, DEFAULT_EPS, ROW_SUM_TOLERANCE, type LogLossOptions, type MulticlassLogLossOptions } from './logLoss.js';
export { accuracy, confusionMatrix, precisionRecallF1, type ClassScores } from './classification.js';
export { rocCurve, rocAuc, brierScore, calibrationCurve } from './probabilistic.js';
