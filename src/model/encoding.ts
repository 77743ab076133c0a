import type { Label } from '../util/labels.js';
import type { ClassWeight } from './options.js';

/**
 * Label encoding: class index k of a label is its position in the sorted class list (docs/architecture.md:
 * numeric order when every label is a number, else string order). A number label 1 and a string
 * label "1" are different classes.
 */

function classList(classes: readonly Label[]): string {
  const shown = classes.slice(0, 10).map((c) => JSON.stringify(c)).join(', ');
  return classes.length > 10 ? `${shown}, …` : shown;
}

/** Class index of every label; a label outside `classes` is a RangeError naming its position. */
export function encodeLabels(y: readonly Label[], classes: readonly Label[], name = 'y'): Int32Array {
  const index = new Map<Label, number>();
  classes.forEach((c, k) => index.set(c, k));
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const k = index.get(y[i]!);
    if (k === undefined) {
      throw new RangeError(`${name}[${i}] is ${JSON.stringify(y[i])}, which is not one of the classes (${classList(classes)})`);
    }
    out[i] = k;
  }
  return out;
}

/**
 * The weight of each class: 'balanced' gives n / (K · nₖ) (scikit-learn's convention, nₖ = rows of
 * class k, unweighted); a record gives its value by label (String(label) as the key), 1 for a class it
 * does not name. A key that is no class is a RangeError (a typo must not be silently ignored).
 */
export function classWeights(cw: ClassWeight | null, classes: readonly Label[], yIdx: Int32Array): Float64Array | null {
  if (cw === null) return null;
  const K = classes.length;
  const out = new Float64Array(K).fill(1);
  if (cw === 'balanced') {
    const counts = new Float64Array(K);
    for (let i = 0; i < yIdx.length; i++) counts[yIdx[i]!] += 1;
    for (let k = 0; k < K; k++) out[k] = yIdx.length / (K * counts[k]!);
    return out;
  }
  const byKey = new Map(classes.map((c, k) => [String(c), k]));
  for (const [key, w] of Object.entries(cw)) {
    const k = byKey.get(key);
    if (k === undefined) throw new RangeError(`classWeight names class "${key}", which is not one of the classes (${classList(classes)})`);
    out[k] = w;
  }
  return out;
}

export { classList };
