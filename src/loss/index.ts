export { type Layout, makeLayout, coefView, interceptView } from './layout.js';
export type { PointwiseLoss } from './pointwise.js';
export { binomialLoss } from './binomial.js';
export { multinomialLoss } from './multinomial.js';
export { LinearModelObjective, type LinearObjectiveConfig } from './objective.js';
export { linearLogits, linearProbabilities, type LinearCoefficients } from './predict.js';
