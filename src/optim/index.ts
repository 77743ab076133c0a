export type { Objective, StochasticObjective, OptimizeResult, OptimizerOptions, IterationInfo, StopReason } from './types.js';
export { newton, type NewtonOptions } from './newton.js';
export { lbfgs, type LbfgsOptions } from './lbfgs.js';
export { gradientDescent, type GradientDescentOptions } from './gradientDescent.js';
export { sgd, type SgdOptions } from './sgd.js';
export { lbfgsThenNewton, type AutoOptions } from './auto.js';
export { newtonExact, type MatrixObjective } from './newtonExact.js';
export { proxNewton, penalty as l1Penalty, subgradientNorm, type ProxNewtonOptions, type HessianCache } from './proxNewton.js';
