import protobuf from 'protobufjs/light.js';

/**
 * The part of the ONNX protobuf schema that logreg writes, as a protobufjs JSON descriptor (read by
 * `protobufjs/light`, which has no .proto parser, so this also works in a browser bundle).
 *
 * Source: `onnx/onnx.proto3` of github.com/onnx/onnx (ONNX 1.23.0 development tree, commit
 * f7546912001bc31e92a238b17068a21b373d882e; SPDX-License-Identifier: Apache-2.0, © ONNX Project
 * Contributors). Field names, numbers, types and labels are copied from it unchanged; messages and
 * fields that logreg never writes are left out (a reader skips nothing: every field kept has its
 * schema number, and proto3 readers ignore what they do not know). Repeated scalar fields are
 * packed, as proto3 makes them by default (TensorProto declares `[packed = true]` explicitly);
 * protobuf readers accept both encodings.
 */

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const one = (type: string, id: number) => ({ type, id });

/** The descriptor (protobufjs `INamespace`). */
export const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: one('string', 1),
            ref_attr_name: one('string', 21),
            doc_string: one('string', 13),
            type: one('int32', 20), // enum AttributeType (an int32 on the wire)
            f: one('float', 2),
            i: one('int64', 3),
            s: one('bytes', 4),
            t: one('TensorProto', 5),
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            tensors: repeated('TensorProto', 10),
          },
        },
        ValueInfoProto: {
          fields: { name: one('string', 1), type: one('TypeProto', 2), doc_string: one('string', 3) },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: one('string', 3),
            op_type: one('string', 4),
            domain: one('string', 7),
            attribute: repeated('AttributeProto', 5),
            doc_string: one('string', 6),
          },
        },
        ModelProto: {
          fields: {
            ir_version: one('int64', 1),
            opset_import: repeated('OperatorSetIdProto', 8),
            producer_name: one('string', 2),
            producer_version: one('string', 3),
            domain: one('string', 4),
            model_version: one('int64', 5),
            doc_string: one('string', 6),
            graph: one('GraphProto', 7),
            metadata_props: repeated('StringStringEntryProto', 14),
          },
        },
        StringStringEntryProto: {
          fields: { key: one('string', 1), value: one('string', 2) },
        },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: one('string', 2),
            initializer: repeated('TensorProto', 5),
            doc_string: one('string', 10),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            value_info: repeated('ValueInfoProto', 13),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            data_type: one('int32', 2),
            float_data: repeated('float', 4),
            int32_data: repeated('int32', 5),
            string_data: repeated('bytes', 6),
            int64_data: repeated('int64', 7),
            name: one('string', 8),
            doc_string: one('string', 12),
            raw_data: one('bytes', 9),
            double_data: repeated('double', 10),
            uint64_data: repeated('uint64', 11),
          },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: one('int64', 1), dim_param: one('string', 2), denotation: one('string', 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: one('Tensor', 1), denotation: one('string', 6) },
          nested: {
            Tensor: {
              fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) },
            },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: one('string', 1), version: one('int64', 2) },
        },
      },
    },
  },
};

/** An integer field of 64 bits: a number (exact up to 2^53) on writing; decoding gives numbers too (see decodeModel). */
type Int64 = number;

export interface TensorProto {
  name: string;
  dims: Int64[];
  data_type: DataTypeCode;
  float_data?: number[];
  double_data?: number[];
  int64_data?: Int64[];
  /** UTF-8 bytes of each string. */
  string_data?: Uint8Array[];
  doc_string?: string;
}

export interface AttributeProto {
  name: string;
  type: (typeof AttributeType)[keyof typeof AttributeType];
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  op_type: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
}

/** A dimension: a fixed size or a named (symbolic) one. */
export type Dimension = { dim_value: Int64 } | { dim_param: string };

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: DataTypeCode; shape: { dim: Dimension[] } } };
  doc_string?: string;
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  doc_string?: string;
}

export interface OperatorSetIdProto {
  domain: string;
  version: Int64;
}

export interface ModelProto {
  ir_version: Int64;
  opset_import: OperatorSetIdProto[];
  producer_name: string;
  producer_version: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph: GraphProto;
  metadata_props?: { key: string; value: string }[];
}

let modelType: protobuf.Type | null = null;

/** The ModelProto message type, built from the descriptor once. */
function modelProtoType(): protobuf.Type {
  if (modelType === null) modelType = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** A ModelProto as protobuf bytes (the content of an .onnx file). */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProtoType();
  return type.encode(model as unknown as Record<string, unknown>).finish();
}

/**
 * Reads .onnx bytes back with the same descriptor (for checks): a plain object with the schema's
 * field names, 64-bit integers as numbers, bytes as byte arrays, absent fields left out.
 */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true });
}
