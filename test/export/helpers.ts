import * as ort from 'onnxruntime-node';
import type { Classifier, ModelJSON, Table } from '../../src/index.js';
import { toTable } from '../../src/index.js';

/**
 * Running exported graphs in ONNX Runtime (onnxruntime-node), and the inputs a table gives them.
 * The reference for every comparison is logreg's own predictProba / predictTable / predict.
 */

export interface GraphResult {
  labels: (number | string)[];
  /** n × C, row-major. */
  probabilities: Float64Array;
  labelType: string;
  probabilityType: string;
}

/** Runs an exported model on these feeds in ONNX Runtime. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<GraphResult> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run(feeds);
    const label = out.label!;
    const proba = out.probabilities!;
    const labels = Array.from(label.data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : (v as number | string)));
    return { labels, probabilities: Float64Array.from(proba.data as ArrayLike<number>), labelType: label.type, probabilityType: proba.type };
  } finally {
    await session.release();
  }
}

/** The matrix input X of a model fitted on a matrix: [n, d] in float64 or float32. */
export function matrixFeed(X: readonly (readonly number[])[], float32 = false): Record<string, ort.Tensor> {
  const n = X.length;
  const d = X[0]!.length;
  const flat = X.flat();
  return { X: float32 ? new ort.Tensor('float32', Float32Array.from(flat), [n, d]) : new ort.Tensor('float64', Float64Array.from(flat), [n, d]) };
}

/**
 * The inputs of a table model from a table: one [n, 1] tensor per source column of the design,
 * numeric columns as their values (NaN for missing), categorical ones as the level texts ("" for
 * missing); a numeric column the model reads as text gives String(value).
 */
export function tableFeeds(model: Classifier | ModelJSON, data: Table | Record<string, unknown>[], float32 = false): Record<string, ort.Tensor> {
  const json: ModelJSON = 'toJSON' in model ? model.toJSON() : model;
  const design = json.design!;
  const table = toTable(data);
  const feeds: Record<string, ort.Tensor> = {};
  for (const s of design.sources) {
    const c = table.columns.find((col) => col.name === s.name);
    if (c === undefined) throw new Error(`the test table lacks ${s.name}`);
    if (s.kind === 'numeric') {
      if (c.kind !== 'numeric') throw new Error(`${s.name} is not numeric in the test table`);
      feeds[s.name] = float32 ? new ort.Tensor('float32', Float32Array.from(c.values), [table.n, 1]) : new ort.Tensor('float64', Float64Array.from(c.values), [table.n, 1]);
    } else {
      const texts = c.kind === 'numeric'
        ? Array.from(c.values, (v) => (Number.isNaN(v) ? '' : String(v)))
        : Array.from(c.codes, (k) => (k < 0 ? '' : c.levels[k]!));
      feeds[s.name] = new ort.Tensor('string', texts, [table.n, 1]);
    }
  }
  return feeds;
}

/** The largest |a − b| over two arrays of the same length (Infinity when a value is NaN in one only). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    m = Math.max(m, Number.isNaN(d) ? (Number.isNaN(a[i]!) && Number.isNaN(b[i]!) ? 0 : Infinity) : d);
  }
  return m;
}

/** Row-major n × C of predictProba's nested rows. */
export function flat(P: readonly (readonly number[])[]): Float64Array {
  return Float64Array.from(P.flat());
}

/** The class of largest probability in each row (the first on a tie): predict's rule, on given probabilities. */
export function argmaxLabels(P: ArrayLike<number>, classes: readonly (number | string)[]): (number | string)[] {
  const C = classes.length;
  const out: (number | string)[] = [];
  for (let i = 0; i < P.length / C; i++) {
    let best = 0;
    for (let k = 1; k < C; k++) if (P[i * C + k]! > P[i * C + best]!) best = k;
    out.push(classes[best]!);
  }
  return out;
}

/** Rows whose two largest probabilities differ by more than `gap` (labels there are not a rounding tie). */
export function clearRows(P: ArrayLike<number>, C: number, gap: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < P.length / C; i++) {
    const row = Array.from({ length: C }, (_, k) => P[i * C + k]!).sort((a, b) => b - a);
    if (row[0]! - row[1]! > gap) rows.push(i);
  }
  return rows;
}
