import type { Argv } from 'yargs';
import { dense, evaluateModel } from '../../index.js';
import { single } from '../args.js';
import { loadData } from '../dataArg.js';
import { readModelFile } from '../modelFile.js';
import { fmt } from '../report.js';
import { evaluationTables } from './train.js';

export const evaluateCommand = {
  command: 'evaluate',
  describe: 'report log loss, accuracy, per-class precision/recall/F1 and the confusion matrix of a saved model on labelled data',
  builder: (y: Argv) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'model JSON written by `logreg train --out`' })
      .option('data', { type: 'string', demandOption: true, describe: 'labelled CSV file (or bundled name)' })
      .option('target', { type: 'string', describe: 'label column (default: the bundled set\'s target, else the last column)' })
      .option('delimiter', { type: 'string', describe: 'CSV delimiter: , ; or tab (default: detected)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' }),
  handler: (argv: Record<string, unknown>) => evaluateCli(argv),
};

function evaluateCli(argv: Record<string, unknown>): void {
  const model = readModelFile(single('model', argv.model) ?? '');
  const names = model.featureNames;
  const target = single('target', argv.target);
  const delimiter = single('delimiter', argv.delimiter);
  const loaded = loadData(single('data', argv.data) ?? '', {
    ...(target === undefined ? {} : { target }),
    ...(names === null ? {} : { features: names }),
    ...(delimiter === undefined ? {} : { delimiter }),
  });
  const ds = loaded.dataset;
  const ev = evaluateModel(model, dense(ds.X, ds.n, ds.d), ds.y!);
  if (argv.json === true) {
    process.stdout.write(`${JSON.stringify({
      data: loaded.bundled ?? loaded.path, target: ds.target, classes: model.classes, n_samples: ev.n,
      log_loss: ev.logLoss, accuracy: ev.accuracy,
      per_class: ev.perClass.map((c) => ({ class: c.label, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
      confusion_matrix: ev.confusion.matrix,
    })}\n`);
    return;
  }
  const lines = [
    `logreg evaluate: ${loaded.bundled === null ? loaded.path : `${loaded.bundled} (bundled)`}, target ${ds.target}${ds.targetDefaulted ? ' (the last column, since --target was not given)' : ''}`,
    `  ${ev.n} rows   log loss ${fmt(ev.logLoss)}   accuracy ${fmt(ev.accuracy, 4)}`,
    '',
    ...evaluationTables(ev),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
