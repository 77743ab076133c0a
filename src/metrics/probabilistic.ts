/**
 * The metrics of predicted probabilities that used to live here, under their old module path:
 * each now has its own file (roc.ts, brier.ts, calibration.ts).
 */
export { rocCurve, rocAuc } from './roc.js';
export { brierScore } from './brier.js';
export { calibrationCurve } from './calibration.js';
