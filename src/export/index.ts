/** Export of fitted models to other formats: ONNX (onnx.ts). */
export {
  toOnnx, exportOnnx, type OnnxOptions, type OnnxSource, type OnnxTensorInfo, LABEL_OUTPUT, PROBABILITIES_OUTPUT,
  ONNX_IR_VERSION, ONNX_OPSET, ONNX_ML_OPSET, LOGREG_VERSION,
} from './onnx.js';
export { decodeModel as decodeOnnx } from './onnxSchema.js';
