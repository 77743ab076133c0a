import type { Design, DesignFactor, DesignSource } from '../design/modelFrame.js';
import { levelLabel } from '../design/terms.js';
import { DataType, type ValueInfoProto } from './onnxSchema.js';
import { type GraphBuilder, type Real, attr, realType, valueInfo } from './graph.js';

/**
 * The model matrix of a table model as ONNX nodes: from one input per source column to
 * X [N, d], column j being the design's column `names[j]`, built as src/design/modelFrame.ts builds
 * it for predictions (applyDesign with unknownLevel 'zero'):
 *
 *   numeric column x (double [N, 1], float [N, 1] with --float32): NaN is a missing value; under the
 *     'mean' policy it becomes the training mean, Where(IsNaN(x), mean, x);
 *   categorical column (string [N, 1]): the empty string is a missing value, the level "missing"
 *     when the model has one (the 'mean' policy, with missing values in training);
 *   a categorical factor F with levels ℓ₀ … ℓ_{L−1} is its indicator matrix I_F [N, L],
 *     I_F[n, k] = [row n has level ℓₖ]; a level not seen in fitting (and a missing value without a
 *     level of its own) has every indicator 0, as scikit-learn's handle_unknown='ignore' (ONNX has
 *     no way to raise an error per row). Text columns: ai.onnx.ml LabelEncoder (level text → level
 *     index, −1 for anything else), then Equal against 0 … L−1 and Cast. `C(x)` of a numeric column:
 *     Equal of x against the level values (NaN equals none of them; with --float32 both are
 *     float32, so levels that differ only beyond float32's precision would both match);
 *   a term is the product of its factors: numeric factors multiplied in the order written (as
 *     modelFrame does), categorical ones by an outer product of their indicators — treatment coding
 *     drops the first level's column — with the factor first in R's variable order varying fastest;
 *   X = Concat(terms, axis 1).
 *
 * Why indicators rather than a Gather of coefficient rows by level code (the kernels' way): the
 * graph then has the model matrix itself, so one MatMul (float64) or the standard ai.onnx.ml
 * LinearClassifier (float32) reads it, the stored standardization applies column by column, and
 * the logits are the same sums (an indicator 0 adds an exact 0). The indicator columns cost N·d
 * values, as the model's own dense matrix would.
 */

/** What a table model's input column is and how the graph reads it (the ONNX input's doc string). */
function sourceDoc(s: DesignSource, design: Design, type: Real): string {
  if (s.kind === 'numeric') {
    const missing = s.impute !== null
      ? `NaN (a missing value) is replaced by the training mean ${s.impute}`
      : 'NaN (a missing value) is not imputed by this model: such rows get NaN probabilities';
    return `numeric column ${JSON.stringify(s.name)}: ${type} [N, 1]; ${missing}`;
  }
  const levels = design.factors.find((f) => f.column === s.name && f.levels !== null)?.levels ?? [];
  const missing = s.missingLevel
    ? 'the empty string (a missing value) is the level "missing"'
    : 'the empty string (a missing value) has all-zero indicators';
  return `categorical column ${JSON.stringify(s.name)}: string [N, 1], the level's text (levels: ${levels.map((l) => JSON.stringify(l)).join(', ')}); ${missing}; a level not seen in fitting has all-zero indicators`;
}

/** The numeric values of a `C(x)` factor's levels: its `values`, else the numbers its level texts name (NaN for a text that no number prints as). */
function levelValues(f: DesignFactor): number[] {
  if (f.values !== null) return f.values;
  return f.levels!.map((l) => {
    const v = l.trim() === '' ? NaN : Number(l);
    return !Number.isNaN(v) && levelLabel(v) === l ? v : NaN;
  });
}

/**
 * Adds the inputs of `design`'s source columns and the nodes computing the model matrix; returns
 * the inputs (in the design's source order) and the name of X [N, d], d = design.names.length.
 */
export function designMatrix(g: GraphBuilder, design: Design, type: Real): { inputs: ValueInfoProto[]; X: string } {
  const T = realType(type);
  const inputs = design.sources.map((s) => valueInfo(s.name, s.kind === 'numeric' ? T : DataType.STRING, ['N', 1], sourceDoc(s, design, type)));
  const sourceOf = (f: DesignFactor): DesignSource => {
    const s = design.sources.find((src) => src.name === f.column);
    if (s === undefined) throw new TypeError(`the design's factor ${f.label} reads ${JSON.stringify(f.column)}, which is not among its sources`);
    return s;
  };

  // A numeric source's values, imputed under the 'mean' policy (made once, when first used).
  const imputed = new Map<string, string>();
  const numericValue = (s: DesignSource): string => {
    let v = imputed.get(s.name);
    if (v === undefined) {
      v = s.impute === null ? s.name : g.node('Where', [g.node('IsNaN', [s.name]), g.real('impute', type, [s.impute], []), s.name]);
      imputed.set(s.name, v);
    }
    return v;
  };

  // Each categorical factor's indicators I [N, L] (made once, when first used).
  const indicators = new Map<DesignFactor, string>();
  const indicatorsOf = (f: DesignFactor): string => {
    const made = indicators.get(f);
    if (made !== undefined) return made;
    const s = sourceOf(f);
    const L = f.levels!.length;
    let hits: string;
    if (s.kind === 'categorical') {
      const keys = [...f.levels!];
      const values = keys.map((_, k) => k);
      if (s.missingLevel) {
        const k = f.levels!.indexOf('missing');
        if (k < 0) throw new TypeError(`the design gives ${JSON.stringify(s.name)} a missing level, but ${f.label} has no level "missing"`);
        keys.push('');
        values.push(k);
      }
      const index = g.node('LabelEncoder', [s.name], [attr.strings('keys_strings', keys), attr.ints('values_int64s', values), attr.int('default_int64', -1)], { domain: 'ai.onnx.ml' });
      hits = g.node('Equal', [index, g.int64('levels', values.slice(0, L), [1, L])]);
    } else {
      // C(x): the raw values (a missing one, NaN, matches no level, as modelFrame's code −1 does).
      hits = g.node('Equal', [s.name, g.real('levels', type, levelValues(f), [1, L])]);
    }
    const out = g.node('Cast', [hits], [attr.int('to', T)]);
    indicators.set(f, out);
    return out;
  };

  const terms = design.terms.map((t, j) => {
    // Numeric factors: their product, in the order written.
    let value: string | null = null;
    for (const [i, k] of t.factors.entries()) {
      if (t.codings[i] !== 'numeric') continue;
      const s = sourceOf(design.factors[k]!);
      if (s.kind !== 'numeric') throw new TypeError(`the design's term ${j} uses the categorical column ${JSON.stringify(s.name)} as a number`);
      const v = numericValue(s);
      value = value === null ? v : g.node('Mul', [value, v]);
    }
    // Categorical factors: the outer product of their indicator blocks, in R's variable order (first fastest).
    let block: string | null = null;
    let width = 1;
    for (const i of t.columnOrder) {
      const coding = t.codings[i]!;
      if (coding === 'numeric') continue;
      const f = design.factors[t.factors[i]!]!;
      const L = f.levels!.length;
      let ind = indicatorsOf(f);
      let w = L;
      if (coding === 'treatment') {
        ind = g.node('Slice', [ind, g.int64('start', [1], [1]), g.int64('end', [L], [1]), g.int64('axis', [1], [1])]);
        w = L - 1;
      }
      if (block === null) {
        block = ind;
      } else {
        // [N, w, 1] · [N, 1, width] → [N, w, width] → [N, w·width]: column u·width + v pairs level u of this factor with column v so far.
        const outer = g.node('Mul', [g.node('Unsqueeze', [ind, g.int64('axes', [2], [1])]), g.node('Unsqueeze', [block, g.int64('axes', [1], [1])])]);
        block = g.node('Reshape', [outer, g.int64('shape', [0, w * width], [2])]);
      }
      width *= w;
    }
    if (block === null) return value!;
    return value === null ? block : g.node('Mul', [block, value]);
  });
  const X = terms.length === 1 ? terms[0]! : g.node('Concat', terms, [attr.int('axis', 1)]);
  return { inputs, X };
}
