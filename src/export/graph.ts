import {
  type AttributeProto, AttributeType, DataType, type DataTypeCode, type Dimension, type NodeProto, type TensorProto, type ValueInfoProto,
} from './onnxSchema.js';

/**
 * A small builder of ONNX graphs: constants (initializers), nodes, and fresh names for the values
 * between them. Names it makes start with a prefix that no input or output of the graph starts
 * with, so they never collide with the column names a table model's inputs carry.
 */

/** The element types logreg's graphs compute in: float64 (default) or float32 (`--float32`). */
export type Real = 'double' | 'float';

const utf8 = new TextEncoder();

/** The TensorProto.DataType of a real type. */
export function realType(t: Real): DataTypeCode {
  return t === 'double' ? DataType.DOUBLE : DataType.FLOAT;
}

/** Attribute helpers (the attribute's `type` discriminator set to match the field used). */
export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  floats: (name: string, floats: ArrayLike<number>): AttributeProto => ({ name, type: AttributeType.FLOATS, floats: Array.from(floats) }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: utf8.encode(s) }),
  strings: (name: string, strings: readonly string[]): AttributeProto => ({ name, type: AttributeType.STRINGS, strings: strings.map((s) => utf8.encode(s)) }),
};

/** A tensor value info: element type and shape, `'N'` (a named dimension) for the rows. */
export function valueInfo(name: string, elemType: DataTypeCode, shape: readonly (number | string)[], doc?: string): ValueInfoProto {
  const dim: Dimension[] = shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } }, ...(doc === undefined ? {} : { doc_string: doc }) };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly prefix: string;
  private count = 0;

  /** `reserved`: the graph's input and output names, which made names must not start with. */
  constructor(reserved: readonly string[]) {
    let prefix = 'logreg/';
    while (reserved.some((r) => r.startsWith(prefix))) prefix = `_${prefix}`;
    this.prefix = prefix;
  }

  /** A fresh value name. */
  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.count++}`;
  }

  private constant(hint: string, t: Omit<TensorProto, 'name'>): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, ...t });
    return name;
  }

  /** A real constant of this shape (row-major values), in float64 or float32. */
  real(hint: string, type: Real, values: ArrayLike<number>, dims: readonly number[]): string {
    const data = Array.from(values);
    return type === 'double'
      ? this.constant(hint, { dims: [...dims], data_type: DataType.DOUBLE, double_data: data })
      : this.constant(hint, { dims: [...dims], data_type: DataType.FLOAT, float_data: data.map(Math.fround) });
  }

  /** An int64 constant (values must be integers of at most 2^53 in size). */
  int64(hint: string, values: readonly number[], dims: readonly number[]): string {
    return this.constant(hint, { dims: [...dims], data_type: DataType.INT64, int64_data: [...values] });
  }

  /** A string constant (UTF-8). */
  strings(hint: string, values: readonly string[], dims: readonly number[]): string {
    return this.constant(hint, { dims: [...dims], data_type: DataType.STRING, string_data: values.map((s) => utf8.encode(s)) });
  }

  /**
   * A node `opType(inputs)` with these attributes; its outputs are fresh names (or `outputs` when
   * given). Returns the output names.
   */
  nodeN(opType: string, inputs: readonly string[], attributes: readonly AttributeProto[] = [], options: { domain?: string; outputs?: readonly string[]; count?: number } = {}): string[] {
    const outputs = options.outputs ? [...options.outputs] : Array.from({ length: options.count ?? 1 }, () => this.fresh(opType));
    this.nodes.push({
      input: [...inputs], output: outputs, name: `${opType}:${outputs[0]}`, op_type: opType,
      ...(options.domain ? { domain: options.domain } : {}),
      ...(attributes.length > 0 ? { attribute: [...attributes] } : {}),
    });
    return outputs;
  }

  /** A node of one output; returns its name. */
  node(opType: string, inputs: readonly string[], attributes: readonly AttributeProto[] = [], options: { domain?: string; output?: string } = {}): string {
    return this.nodeN(opType, inputs, attributes, { ...(options.domain ? { domain: options.domain } : {}), ...(options.output ? { outputs: [options.output] } : {}) })[0]!;
  }
}
