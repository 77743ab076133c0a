import type { Argv } from 'yargs';
import { type OnnxTensorInfo, ONNX_IR_VERSION, ONNX_ML_OPSET, ONNX_OPSET, exportOnnx } from '../../export/index.js';
import { parseChoice, single } from '../args.js';
import { CliError } from '../errors.js';
import { checkOutputPath, writeOutput } from '../files.js';
import { readModelFile } from '../modelFile.js';

/**
 * `logreg export --model m.json --format onnx --out m.onnx [--float32]`: a saved model as an ONNX
 * graph (src/export/onnx.ts says what its inputs and outputs are). The file is written atomically
 * (checkOutputPath, then a temporary file renamed over it); on any error nothing is written.
 */
export const exportCommand = {
  command: 'export',
  describe: 'write a saved model as an ONNX graph (for ONNX Runtime and other ONNX engines)',
  builder: (y: Argv) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'model JSON written by `logreg train --out`' })
      .option('format', { type: 'string', default: 'onnx', describe: 'onnx (the only format)' })
      .option('out', { type: 'string', demandOption: true, describe: 'the file to write (atomically), e.g. model.onnx' })
      .option('float32', {
        type: 'boolean', default: false,
        describe: 'float32 inputs and the ai.onnx.ml LinearClassifier (probabilities within ~1e-6) instead of float64 (equal to predict to 1e-12)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing' })
      .epilogue(
        'Inputs of the graph: a model fitted on a matrix takes X (double [N, d], raw units; the standardization is in the graph); '
        + 'a model fitted on a table takes one input per column it reads, named by the column: numeric columns double [N, 1] (NaN = missing), '
        + 'categorical ones string [N, 1] ("" = missing); a level not seen in fitting gets all-zero indicators. '
        + 'Outputs: label [N] and probabilities [N, classes] in the model\'s class order.',
      ),
  handler: (argv: Record<string, unknown>) => exportCli(argv),
};

/** `age double[N,1]`, the first 8 of a list and a count of the rest. */
function signature(list: readonly OnnxTensorInfo[]): string {
  const shown = list.slice(0, 8).map((t) => `${t.name} ${t.type}[${t.shape.join(',')}]`);
  return list.length > 8 ? `${shown.join(', ')} and ${list.length - 8} more` : shown.join(', ');
}

function exportCli(argv: Record<string, unknown>): void {
  const modelPath = single('model', argv.model) ?? '';
  if (modelPath === '') throw new CliError('--model needs a file name');
  const format = parseChoice('format', single('format', argv.format) ?? 'onnx', ['onnx'] as const);
  const outRaw = single('out', argv.out) ?? '';
  const out = checkOutputPath(outRaw, '--out', [modelPath], { name: 'the --model file', holds: 'the model' });
  const model = readModelFile(modelPath);
  const float32 = argv.float32 === true;
  const { bytes, inputs, outputs } = exportOnnx(model, { float32 });
  writeOutput(out, bytes, '--out');
  if (argv.quiet === true) return;
  const text = `wrote ${outRaw}: ${format.toUpperCase()} (IR ${ONNX_IR_VERSION}, opset ${ONNX_OPSET}, ai.onnx.ml ${ONNX_ML_OPSET}), ${float32 ? 'float32' : 'float64'}, ${bytes.length} bytes\n`
    + `  inputs: ${signature(inputs)}\n  outputs: ${signature(outputs)}\n`;
  // Written to a device or pipe (/dev/stdout), the file owns standard output: the summary goes to stderr.
  if (out.kind === 'special') process.stderr.write(text);
  else process.stdout.write(text);
}
