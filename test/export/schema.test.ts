import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { fit, readCsv } from '../../src/index.js';
import { LOGREG_VERSION, decodeOnnx, exportOnnx, toOnnx } from '../../src/export/index.js';
import { ONNX_SCHEMA } from '../../src/export/onnxSchema.js';

/**
 * The file is valid ONNX as independent readers see it: the official schema (a verbatim copy of
 * onnx/onnx.proto3, test/export/fixtures/README.md) parsed by protobufjs' .proto parser agrees with
 * logreg's descriptor field by field and decodes the exported bytes; ONNX Runtime loads them and
 * names the same inputs and outputs.
 */

const official = protobuf.parse(readFileSync(fileURLToPath(new URL('./fixtures/onnx.proto3', import.meta.url)), 'utf8'), { keepCase: true }).root;
official.resolveAll();
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
const birthwt = readCsv(fileURLToPath(new URL('../fixtures/tabular/birthwt.csv', import.meta.url)));

type Descriptor = { fields: Record<string, { id: number; type: string; rule?: string }>; nested?: Record<string, Descriptor> };

/** Every message of logreg's descriptor with its full name. */
function messages(nested: Record<string, Descriptor>, prefix: string): Array<[string, Descriptor]> {
  return Object.entries(nested).flatMap(([name, d]) => [[`${prefix}.${name}`, d] as [string, Descriptor], ...(d.nested ? messages(d.nested, `${prefix}.${name}`) : [])]);
}

const SCALARS = new Set(['double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes']);

function decodeOfficial(bytes: Uint8Array): Record<string, any> {
  const type = official.lookupType('onnx.ModelProto');
  return type.toObject(type.decode(bytes), { longs: Number, enums: String, arrays: true }) as Record<string, any>;
}

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('the ONNX file format', () => {
  it("logreg's descriptor has the official field numbers, types and labels (onnx.proto3)", () => {
    const list = messages(ONNX_SCHEMA.nested.onnx.nested as unknown as Record<string, Descriptor>, 'onnx');
    expect(list.length).toBeGreaterThanOrEqual(11);
    let fields = 0;
    for (const [name, d] of list) {
      const ref = official.lookupType(name);
      for (const [field, f] of Object.entries(d.fields)) {
        const r = ref.fields[field];
        expect(r, `${name}.${field}`).toBeDefined();
        expect(r!.id, `${name}.${field} number`).toBe(f.id);
        expect(r!.repeated, `${name}.${field} repeated`).toBe(f.rule === 'repeated');
        if (SCALARS.has(r!.type)) expect(f.type, `${name}.${field} type`).toBe(r!.type);
        else if (r!.resolvedType instanceof protobuf.Enum) expect(f.type, `${name}.${field} (an enum, int32 on the wire)`).toBe('int32');
        else expect(f.type, `${name}.${field} message type`).toBe(r!.resolvedType!.name);
        fields++;
      }
    }
    expect(fields).toBeGreaterThan(50);
  });

  it('the official schema reads an exported table model: IR, opsets, producer, inputs, outputs, weights', () => {
    const model = fit(birthwt, { formula: 'low ~ age + race*smoke' });
    const m = decodeOfficial(toOnnx(model));
    expect(m.ir_version).toBe(8);
    expect(m.opset_import.map((o: { domain?: string; version: number }) => [o.domain ?? '', o.version])).toEqual([['', 17], ['ai.onnx.ml', 3]]);
    expect(m.producer_name).toBe('logreg');
    expect(m.producer_version).toBe(pkg.version);
    expect(m.doc_string).toContain('"low"');
    const tensorType = (v: any) => [v.name, v.type.tensor_type.elem_type, v.type.tensor_type.shape.dim.map((d: any) => d.dim_param ?? d.dim_value)];
    // TensorProto.DataType: DOUBLE 11, STRING 8 (onnx.proto3).
    expect(m.graph.input.map(tensorType)).toEqual([['age', 11, ['N', 1]], ['race', 8, ['N', 1]], ['smoke', 11, ['N', 1]]]);
    expect(m.graph.output.map(tensorType)).toEqual([['label', 8, ['N']], ['probabilities', 11, ['N', 2]]]);
    // Every node in a domain the model imports; the weights are the model's, as doubles.
    for (const n of m.graph.node) expect(['', 'ai.onnx.ml']).toContain(n.domain ?? '');
    const json = model.toJSON();
    const coef = m.graph.initializer.find((t: any) => t.double_data?.length === json.nFeatures && t.dims.join() === `${json.nFeatures},1`);
    expect(coef.double_data).toEqual(json.coef[0]);
    const classes = m.graph.initializer.find((t: any) => t.data_type === 8 && t.string_data.length === 2);
    expect(classes.string_data.map(utf8)).toEqual(json.classes);
    expect(m.metadata_props.find((p: any) => p.key === 'logreg.classes').value).toBe(JSON.stringify(json.classes));
  });

  it("logreg's own decoder reads what the official one reads, and float32 files declare float tensors and LinearClassifier", () => {
    const model = fit(birthwt, { formula: 'low ~ age + lwt + race' });
    const bytes = toOnnx(model, { float32: true });
    const mine = decodeOnnx(bytes) as Record<string, any>;
    const theirs = decodeOfficial(bytes);
    expect(mine.graph.node.map((n: any) => n.op_type)).toEqual(theirs.graph.node.map((n: any) => n.op_type));
    const lc = theirs.graph.node.find((n: any) => n.op_type === 'LinearClassifier');
    expect(lc.domain).toBe('ai.onnx.ml');
    const attr = (name: string) => lc.attribute.find((a: any) => a.name === name);
    expect(utf8(attr('post_transform').s)).toBe('LOGISTIC');
    expect(attr('post_transform').type).toBe('STRING');
    // Binary: two rows (−w, w) so that the LOGISTIC scores are [σ(−z), σ(z)].
    const w = model.toJSON().coef[0]!;
    expect(attr('coefficients').floats).toEqual([...w.map((v) => Math.fround(-v)), ...w.map(Math.fround)]);
    expect(theirs.graph.input.filter((v: any) => v.name !== 'race').every((v: any) => v.type.tensor_type.elem_type === 1)).toBe(true); // FLOAT
    expect(theirs.graph.output[1].type.tensor_type.elem_type).toBe(1);
  });

  it('ONNX Runtime loads the file and names the same inputs and outputs', async () => {
    const model = fit(birthwt, { formula: 'low ~ age + C(ftv) + race' });
    const { bytes, inputs, outputs } = exportOnnx(model);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['age', 'ftv', 'race']);
    expect(inputs.map((i) => [i.name, i.type])).toEqual([['age', 'double'], ['ftv', 'double'], ['race', 'string']]);
    expect(session.outputNames).toEqual(['label', 'probabilities']);
    expect(outputs.map((o) => [o.name, o.type, o.shape])).toEqual([['label', 'string', ['N']], ['probabilities', 'double', ['N', 2]]]);
    await session.release();
  });

  it('the producer version is the package version; bad models and clashing names are refused', () => {
    expect(LOGREG_VERSION).toBe(pkg.version);
    expect(() => toOnnx({ format: 'something else' } as never)).toThrow(/not a logreg model/);
    expect(() => toOnnx('{"format": "logreg-model"')).toThrow(/not a logreg model/);
    const rows = Array.from({ length: 20 }, (_, i) => ({ label: i % 3, y: i % 2, z: (i * 7) % 5 }));
    const clash = fit(rows, { target: 'y' });
    expect(() => toOnnx(clash)).toThrow(/named "label", the name of an output/);
  });
});
