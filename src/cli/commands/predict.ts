import type { Argv } from 'yargs';
import { dense } from '../../index.js';
import { single } from '../args.js';
import { loadData } from '../dataArg.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { readModelFile } from '../modelFile.js';

export const predictCommand = {
  command: 'predict',
  describe: 'predict classes and probabilities for the rows of a CSV file with a saved model',
  builder: (y: Argv) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'model JSON written by `logreg train --out`' })
      .option('data', { type: 'string', demandOption: true, describe: 'CSV file (or bundled name); columns matched to the model\'s features by name' })
      .option('delimiter', { type: 'string', describe: 'CSV delimiter: , ; or tab (default: detected)' })
      .option('out', { type: 'string', describe: 'write the predictions CSV here (atomically) instead of stdout' }),
  handler: (argv: Record<string, unknown>) => predictCli(argv),
};

/** A CSV field, quoted when it holds a delimiter, quote or line break (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n;\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function predictCli(argv: Record<string, unknown>): void {
  const outRaw = single('out', argv.out);
  const out = outRaw === undefined ? null : checkOutputPath(outRaw, '--out');
  const model = readModelFile(single('model', argv.model) ?? '');
  const names = model.featureNames;
  const delimiter = single('delimiter', argv.delimiter);
  const { dataset: ds } = loadData(single('data', argv.data) ?? '', {
    target: null,
    ...(names === null ? {} : { features: names }),
    ...(delimiter === undefined ? {} : { delimiter }),
  });
  const P = model.predictProba(dense(ds.X, ds.n, ds.d));
  const classes = model.classes;
  const lines = [['prediction', ...classes.map((c) => `p_${String(c)}`)].map(csvField).join(',')];
  for (const row of P) {
    let best = 0;
    for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
    lines.push([csvField(String(classes[best])), ...row.map((p) => String(p))].join(','));
  }
  const text = `${lines.join('\n')}\n`;
  if (out === null) process.stdout.write(text);
  else writeFileAtomic(out, text, '--out');
}
