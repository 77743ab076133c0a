import { type ModelJSON, parseModelJSON } from '../model/serialize.js';
import type { Label } from '../util/labels.js';
import { designMatrix } from './design.js';
import { GraphBuilder, type Real, attr, realType, valueInfo } from './graph.js';
import { DataType, type DataTypeCode, type ModelProto, type ValueInfoProto, encodeModel } from './onnxSchema.js';

/**
 * ONNX export of a logreg model: a standard ONNX graph (ai.onnx opset 17, ai.onnx.ml opset 3,
 * IR version 8, as ONNX 1.12 defines them) that ONNX Runtime and other ONNX engines run, computing
 * what `predictProba` and `predict` compute.
 */

/** The ONNX versions written: IR 8 with ai.onnx 17 and ai.onnx.ml 3 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;

/** logreg's version, written as producer_version (a test checks it against package.json). */
export const LOGREG_VERSION = '0.1.0';

/** Options of `toOnnx`. */
export interface OnnxOptions {
  /**
   * false (default): float64 inputs, float64 weights, MatMul + Add, then Sigmoid (binary) or
   * Softmax; probabilities equal predictProba's to rounding (1e-12). true: float32 inputs and the
   * ai.onnx.ml LinearClassifier operator (float32 weights and sums); probabilities within about
   * 1e-6 (measured on the bundled data: 8e-8 to 6e-7, but 1.2e-6 on breast-cancer's raw, badly
   * scaled columns, 4.5e-7 of which is the rounding of the inputs themselves to float32).
   */
  float32?: boolean;
  /** producer_version of the file (default: this logreg's version). */
  producerVersion?: string;
}

/** One input or output of the exported graph, as the file declares it. */
export interface OnnxTensorInfo {
  name: string;
  type: 'double' | 'float' | 'int64' | 'string';
  /** Dimensions: 'N' is the number of rows. */
  shape: (number | 'N')[];
  /** What the tensor holds (also written into the file as its doc string). */
  doc: string;
}

/** A model to export: a fitted model (anything with toJSON), its JSON form, or that JSON as text. */
export type OnnxSource = ModelJSON | { toJSON(): ModelJSON } | string;

const TYPE_NAMES: Record<number, OnnxTensorInfo['type']> = {
  [DataType.DOUBLE]: 'double', [DataType.FLOAT]: 'float', [DataType.INT64]: 'int64', [DataType.STRING]: 'string',
};

/** The output names. */
export const LABEL_OUTPUT = 'label';
export const PROBABILITIES_OUTPUT = 'probabilities';

/**
 * The classes as the `label` output's element type: int64 when every class is an integer number
 * (of at most 2^53 in size), double for other numbers, else strings (numbers among them as String()
 * writes them).
 */
function classTensor(classes: readonly Label[]): { type: DataTypeCode; values: number[] | string[] } {
  if (classes.every((c) => typeof c === 'number' && Number.isSafeInteger(c))) return { type: DataType.INT64, values: classes as number[] };
  if (classes.every((c) => typeof c === 'number')) return { type: DataType.DOUBLE, values: classes as number[] };
  return { type: DataType.STRING, values: classes.map(String) };
}

function describeLabel(c: readonly Label[]): string {
  return c.map((x) => (typeof x === 'string' ? JSON.stringify(x) : String(x))).join(', ');
}

/**
 * The ONNX graph of a model, its bytes, and its inputs and outputs.
 *
 * Inputs. A model fitted on a matrix (no design) has one input `X`: double [N, d] (float [N, d]
 * with `float32`), the raw columns in coefficient order (`featureNames`); the stored
 * standardization z = (x − mean) / std is done in the graph. A model fitted on a table has one
 * input per column its design reads, named by the column: numeric columns double [N, 1] (float
 * [N, 1]) with NaN for a missing value (imputed with the training mean when the model was fitted
 * with missing 'mean'), categorical columns string [N, 1] holding the level's text, "" for a
 * missing value (the level "missing" when the model has one). A level not seen in fitting gets
 * all-zero indicators, as `unknownLevel: 'zero'` in predict (ONNX cannot raise an error per row);
 * rows a model fitted with 'refuse' or 'drop' would refuse or leave out get NaN probabilities
 * (numeric) or all-zero indicators (categorical) instead. src/export/design.ts gives the coding.
 *
 * Outputs. `probabilities` [N, C], C classes in `model.classes` order: binary [σ(−z), σ(z)] with
 * z = w·x + b (both computed directly, as predictProba does), softmax softmax(W·x + b) over axis 1;
 * `label` [N]: the class of largest probability (the first on a tie), int64 when every class is an
 * integer, double for other numbers, string otherwise. No ZipMap: both are plain tensors.
 *
 * float64 (default): weights W [K, d] and b [K] as double initializers, Z = X·Wᵀ + b by MatMul and
 * Add, then Sigmoid of Concat(−Z, Z) (binary, K = 1) or Softmax (axis 1), ArgMax (axis 1) and a
 * Gather of the class labels. float32: the same X in float, then ai.onnx.ml LinearClassifier with
 * post_transform LOGISTIC (binary, given the two rows −w, w and intercepts −b, b, so that its scores
 * are [σ(−z), σ(z)] — with one row ONNX Runtime would return [1 − z, z] without the logistic) or
 * SOFTMAX; its class-index output picks the label.
 *
 * Errors: a TypeError "not a logreg model: …" for a malformed model; a RangeError when a column is
 * named like an output (`label`, `probabilities`) or has an empty name.
 */
export function exportOnnx(model: OnnxSource, options: OnnxOptions = {}): { bytes: Uint8Array; inputs: OnnxTensorInfo[]; outputs: OnnxTensorInfo[] } {
  if (model === null || model === undefined) throw new TypeError('toOnnx needs a fitted model or its JSON, got ' + String(model));
  const json: unknown = typeof model === 'object' && 'toJSON' in model && typeof model.toJSON === 'function' ? model.toJSON() : model;
  const { state } = parseModelJSON(json);
  const type: Real = options.float32 === true ? 'float' : 'double';
  const T = realType(type);
  const d = state.nFeatures;
  const K = state.intercept.length;
  const C = state.classes.length;
  const design = state.design;

  const inputNames = design === null ? ['X'] : design.sources.map((s) => s.name);
  for (const name of inputNames) {
    if (name === '') throw new RangeError('the model reads a column with an empty name, which cannot name an ONNX input');
    if (name === LABEL_OUTPUT || name === PROBABILITIES_OUTPUT) {
      throw new RangeError(`the model reads a column named ${JSON.stringify(name)}, the name of an output of the ONNX graph; rename the column and fit again`);
    }
  }
  const g = new GraphBuilder([...inputNames, LABEL_OUTPUT, PROBABILITIES_OUTPUT]);

  // The model matrix X [N, d], in coefficient order.
  let inputs: ValueInfoProto[];
  let X: string;
  if (design === null) {
    const names = state.featureNames === null ? '' : ` (${state.featureNames.join(', ')})`;
    inputs = [valueInfo('X', T, ['N', d], `the ${d} feature columns in the model's order${names}, in raw units: ${type} [N, ${d}]`)];
    X = 'X';
  } else {
    ({ inputs, X } = designMatrix(g, design, type));
  }
  if (state.standardization !== null) {
    const { mean, std } = state.standardization;
    X = g.node('Div', [g.node('Sub', [X, g.real('mean', type, mean, [1, d])]), g.real('std', type, std, [1, d])]);
  }

  // Probabilities and the index of the most probable class.
  let classIndex: string;
  if (type === 'double') {
    const Wt = new Float64Array(d * K);
    for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) Wt[j * K + k] = state.coef[k * d + j]!;
    const Z = g.node('Add', [g.node('MatMul', [X, g.real('coef_t', type, Wt, [d, K])]), g.real('intercept', type, state.intercept, [1, K])]);
    if (K === 1) {
      g.node('Sigmoid', [g.node('Concat', [g.node('Neg', [Z]), Z], [attr.int('axis', 1)])], [], { output: PROBABILITIES_OUTPUT });
    } else {
      g.node('Softmax', [Z], [attr.int('axis', 1)], { output: PROBABILITIES_OUTPUT });
    }
    classIndex = g.node('ArgMax', [PROBABILITIES_OUTPUT], [attr.int('axis', 1), attr.int('keepdims', 0)]);
  } else {
    const w = Array.from(state.coef);
    const coefficients = K === 1 ? [...w.map((v) => -v), ...w] : w;
    const intercepts = K === 1 ? [-state.intercept[0]!, state.intercept[0]!] : Array.from(state.intercept);
    [classIndex] = g.nodeN('LinearClassifier', [X], [
      attr.floats('coefficients', coefficients),
      attr.floats('intercepts', intercepts),
      attr.ints('classlabels_ints', Array.from({ length: C }, (_, k) => k)),
      attr.string('post_transform', K === 1 ? 'LOGISTIC' : 'SOFTMAX'),
      attr.int('multi_class', 0),
    ], { domain: 'ai.onnx.ml', outputs: [g.fresh('class_index'), PROBABILITIES_OUTPUT] }) as [string];
  }
  const labels = classTensor(state.classes);
  const classConst = labels.type === DataType.STRING
    ? g.strings('classes', labels.values as string[], [C])
    : labels.type === DataType.INT64 ? g.int64('classes', labels.values as number[], [C]) : g.real('classes', 'double', labels.values as number[], [C]);
  g.node('Gather', [classConst, classIndex], [attr.int('axis', 0)], { output: LABEL_OUTPUT });

  const kindText = state.kind === 'binary' ? 'binary logistic regression' : 'softmax (multinomial logistic) regression';
  const target = state.target === null ? 'a label' : JSON.stringify(state.target);
  const outputs = [
    valueInfo(LABEL_OUTPUT, labels.type, ['N'], `the predicted class of ${target} (the most probable; the first in class order on a tie): ${describeLabel(state.classes)}`),
    valueInfo(PROBABILITIES_OUTPUT, T, ['N', C], `P(class) for the classes ${describeLabel(state.classes)}, in this order; each row sums to 1`),
  ];
  const doc = `logreg ${kindText} of ${target}${design?.formula ? ` (formula ${design.formula})` : ''}; classes ${describeLabel(state.classes)}; ${type} computation`;
  const proto: ModelProto = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }, { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }],
    producer_name: 'logreg',
    producer_version: options.producerVersion ?? LOGREG_VERSION,
    doc_string: doc,
    graph: { name: 'logreg', node: g.nodes, initializer: g.initializers, input: inputs, output: outputs, doc_string: doc },
    metadata_props: [
      { key: 'logreg.model', value: state.kind },
      { key: 'logreg.target', value: state.target ?? '' },
      { key: 'logreg.classes', value: JSON.stringify(state.classes) },
      ...(design === null ? [] : [{ key: 'logreg.formula', value: design.formula ?? '' }, { key: 'logreg.missing', value: design.missing }]),
    ],
  };
  const info = (v: ValueInfoProto): OnnxTensorInfo => ({
    name: v.name,
    type: TYPE_NAMES[v.type.tensor_type.elem_type]!,
    shape: v.type.tensor_type.shape.dim.map((dim) => ('dim_value' in dim ? dim.dim_value : 'N')),
    doc: v.doc_string ?? '',
  });
  return { bytes: encodeModel(proto), inputs: inputs.map(info), outputs: outputs.map(info) };
}

/**
 * A model as the bytes of an ONNX file (see exportOnnx for the graph's inputs, outputs and
 * arithmetic): `writeFileSync('m.onnx', toOnnx(model))`, then in ONNX Runtime
 * `session.run({ X })` → { label [N], probabilities [N, C] }.
 */
export function toOnnx(model: OnnxSource, options: OnnxOptions = {}): Uint8Array {
  return exportOnnx(model, options).bytes;
}
