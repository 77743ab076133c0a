import type { Design } from '../design/modelFrame.js';
import { type Classifier, loadModel } from '../model/fit.js';
import { classList, classWeights } from '../model/encoding.js';
import { findClass } from '../model/inference.js';
import { type FitDiagnostics, type FittedState, centerAcrossClasses, checkPenaltyFinite } from '../model/linearClassifier.js';
import type { ResolvedOptions } from '../model/options.js';
import { stateToJSON } from '../model/serialize.js';
import type { Standardization } from '../model/standardize.js';
import type { OptimizeResult } from '../optim/types.js';
import type { Label } from '../util/labels.js';

/**
 * What a fit outside memory (streamed, or pushed down to a SQL engine) shares with the in-memory one
 * (src/model/linearClassifier.ts fitRows), computed from class counts instead of a label array: the
 * classes and the positive class, class weights, the weight scale, the intercepts' warm start, and
 * the fitted model made from the optimum, so that every route writes the same model file.
 */

/** The classes of a fit and how rows' weights are formed: sᵢ = sample weight × class weight / scale. */
export interface ClassPlan {
  kind: 'binary' | 'softmax';
  /** The classes in model order (binary: [other, positive]). */
  classes: Label[];
  /** Logits per row: 1 for binary, the class count for softmax. */
  K: number;
  /** Final class index of each class of the design pass's order (the positive class may swap the two). */
  index: Int32Array;
  /** Class weights in model order, or null. */
  classWeight: Float64Array | null;
  /** Whether rows carry weights (a weight column or class weights). */
  weighted: boolean;
  /** The largest sᵢ before scaling (1 when unweighted): weights are divided by it, C multiplied. */
  scale: number;
}

/**
 * The class plan from the classes of the kept rows (sorted as labels are), their counts and largest
 * sample weights, under the options: model kind ('auto': binary for two classes), positive class,
 * class weights ('balanced': n / (K·countₖ)), and the scale max sᵢ = max over classes of
 * (largest weight × class weight), which is what the in-memory fit's maximum over rows is.
 */
export function classPlan(
  classesIn: readonly Label[], counts: Float64Array, maxWeight: Float64Array, sampleWeights: boolean, o: ResolvedOptions,
  kindWanted: 'auto' | 'binary' | 'softmax', target: string,
): ClassPlan {
  if (classesIn.length < 2) throw new RangeError(`the target column ${JSON.stringify(target)} has a single class (${classList(classesIn)}); a classifier needs at least two classes`);
  const kind = kindWanted === 'auto' ? (classesIn.length > 2 ? 'softmax' : 'binary') : kindWanted;
  if (kind === 'binary' && classesIn.length > 2) throw new RangeError(`--model binary fits two classes, but ${target} has ${classesIn.length}; use --model softmax (or auto)`);
  let classes = [...classesIn];
  const index = Int32Array.from(classes, (_, k) => k);
  if (o.positiveClass !== null) {
    if (kind !== 'binary') throw new TypeError('positiveClass applies to binary models; a softmax model has no positive class (its summary takes a referenceClass)');
    const k = findClass(classes, o.positiveClass);
    if (k < 0) throw new RangeError(`positiveClass ${JSON.stringify(o.positiveClass)} is not one of the labels (${classList(classes)})`);
    if (k === 0) {
      classes = [classes[1]!, classes[0]!];
      index[0] = 1;
      index[1] = 0;
    }
  }
  const nc = classes.length;
  const countOf = new Float64Array(nc);
  const maxOf = new Float64Array(nc);
  classesIn.forEach((_, k) => {
    countOf[index[k]!] = counts[k]!;
    maxOf[index[k]!] = maxWeight[k]!;
  });
  let cw: Float64Array | null = null;
  if (o.classWeight === 'balanced') {
    let n = 0;
    for (let k = 0; k < nc; k++) n += countOf[k]!;
    cw = Float64Array.from(countOf, (c) => n / (nc * c));
  } else if (o.classWeight !== null) {
    cw = classWeights(o.classWeight, classes, new Int32Array(0));
  }
  const weighted = sampleWeights || cw !== null;
  let scale = 1;
  if (weighted) {
    let m = 0;
    for (let k = 0; k < nc; k++) {
      const s = (sampleWeights ? maxOf[k]! : 1) * (cw === null ? 1 : cw[k]!);
      if (s > m) m = s;
    }
    scale = m > 0 ? m : 1;
  }
  return { kind, classes, K: kind === 'binary' ? 1 : nc, index, classWeight: cw, weighted, scale };
}

/** Refuses a class whose rows all weigh 0 (the in-memory fit's message). */
export function checkClassTotals(classes: readonly Label[], totals: Float64Array): void {
  const zero = classes.filter((_, k) => !(totals[k]! > 0));
  if (zero.length > 0) {
    throw new RangeError(`the class${zero.length > 1 ? 'es' : ''} ${classList(zero)} ${zero.length > 1 ? 'have' : 'has'} zero total weight, so ${zero.length > 1 ? 'they' : 'it'} cannot be fitted; give ${zero.length > 1 ? 'their' : 'its'} rows positive weights or leave them out`);
  }
}

/**
 * C for weights divided by `scale`, refused when the penalty 1/(C·S) overflows (the in-memory
 * fit's checkC): S is the sum of the scaled weights.
 */
export function scaledC(C: number, scale: number, S: number): number {
  if (!Number.isFinite(C)) return Infinity;
  checkPenaltyFinite(C * scale, C, scale, S);
  return C * scale;
}

/** Everything the fitted model is made from. */
export interface Fitted {
  plan: ClassPlan;
  design: Design;
  o: ResolvedOptions;
  /** The optimum in the kernels' layout (coefficient k·p + internal column, then intercepts). */
  result: OptimizeResult & { method: string };
  /** Internal column of each public coefficient. */
  order: Int32Array;
  standardization: Standardization | null;
  fitSeconds: number;
}

/**
 * The fitted model: coefficients in public order, softmax centred across classes (as the in-memory
 * fit centres them: coefficients too unless an L1 part decides them), diagnostics, the design;
 * serialized and read back, so the model is exactly what its file holds.
 */
export function fittedModel(f: Fitted): Classifier {
  const { plan, design, o, result, order } = f;
  const K = plan.K;
  const p = design.names.length;
  const icpt = design.intercept;
  if (!Number.isFinite(result.value) || !result.x.every(Number.isFinite)) {
    const what = Number.isFinite(result.value) ? 'some coefficients became non-finite' : `the objective became ${result.value}`;
    throw new RangeError(`the fit failed: ${what} after ${result.iterations} iterations of ${o.solver}; the data hold values so large that the logits overflow: standardize the columns (or scale them)`);
  }
  const coef = new Float64Array(K * p);
  for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) coef[k * p + j] = result.x[k * p + order[j]!]!;
  const intercept = icpt ? Float64Array.from(result.x.subarray(K * p)) : new Float64Array(K);
  if (plan.kind === 'softmax') centerAcrossClasses(coef, intercept, K, p, o.l1Ratio === 0);
  const diagnostics: FitDiagnostics = {
    solver: o.solver, method: result.method, iterations: result.iterations, converged: result.converged, reason: result.reason,
    objective: result.value, gradNorm: result.gradNorm, fitSeconds: f.fitSeconds, history: result.history, evaluations: result.evaluations,
    separation: o.penalty === 'none' ? { status: 'not-checked', columns: [], rowsOnBoundary: 0 } : null,
  };
  const state: FittedState = {
    kind: plan.kind, classes: plan.classes, featureNames: [...design.names], nFeatures: p, coef, intercept,
    standardization: f.standardization, diagnostics, target: design.response, design,
  };
  return loadModel(JSON.parse(JSON.stringify(stateToJSON(state, o))));
}
