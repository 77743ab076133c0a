import type { Argv } from 'yargs';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationCurve, dense, evaluateModel, type Evaluation, rocAuc, rocCurve } from '../../index.js';
import { CliError } from '../errors.js';
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
      .option('plots', { type: 'string', describe: 'write roc.svg, calibration.svg (binary models) and confusion.svg to this folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' }),
  handler: (argv: Record<string, unknown>) => evaluateCli(argv),
};

/** Checks --plots before any work: an existing folder, or one that can be created. */
function plotsDir(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  try {
    if (!statSync(raw).isDirectory()) throw new CliError(`--plots ${raw} is a file, not a folder`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    try {
      mkdirSync(raw, { recursive: true });
    } catch (e2) {
      throw new CliError(`--plots ${raw}: cannot create the folder (${(e2 as NodeJS.ErrnoException).code ?? (e2 as Error).message})`);
    }
  }
  return raw;
}

/** Writes the evaluation's pictures; returns the files written. */
async function writePlots(dir: string, ev: Evaluation, classes: readonly (string | number)[], y: readonly (string | number)[], name: string): Promise<string[]> {
  // Loaded only when pictures are asked for: vega is large, and has top-level await in its graph.
  const plot = await import('../../plot/index.js');
  const labels = ev.confusion.labels.map(String);
  const files: string[] = [];
  const confusion = join(dir, 'confusion.svg');
  await plot.writeSvg(plot.confusionHeatmap(labels, ev.confusion.matrix, `Confusion matrix: ${name}`), confusion);
  files.push(confusion);
  if (classes.length === 2) {
    const y01 = y.map((v) => (v === classes[1] ? 1 : 0));
    const p1 = ev.probabilities.map((r) => r[1]!);
    if (y01.includes(1) && y01.includes(0)) {
      const roc = rocCurve(y01, p1);
      const rocFile = join(dir, 'roc.svg');
      await plot.writeSvg(plot.rocChart(roc.fpr, roc.tpr, rocAuc(y01, p1), `ROC curve: ${name} (positive class ${String(classes[1])})`), rocFile);
      const cal = calibrationCurve(y01, p1, 10);
      const calFile = join(dir, 'calibration.svg');
      await plot.writeSvg(plot.reliabilityChart(cal.meanPredicted, cal.fractionPositive, `Reliability diagram: ${name}`), calFile);
      files.push(rocFile, calFile);
    }
  }
  return files;
}

async function evaluateCli(argv: Record<string, unknown>): Promise<void> {
  const plots = plotsDir(single('plots', argv.plots));
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
  const name = loaded.bundled ?? loaded.path;
  const written = plots === null ? [] : await writePlots(plots, ev, model.classes, ds.y!, name);
  if (argv.json === true) {
    process.stdout.write(`${JSON.stringify({
      data: loaded.bundled ?? loaded.path, target: ds.target, classes: model.classes, n_samples: ev.n,
      log_loss: ev.logLoss, accuracy: ev.accuracy,
      per_class: ev.perClass.map((c) => ({ class: c.label, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
      confusion_matrix: ev.confusion.matrix,
      ...(plots === null ? {} : { plots: written }),
    })}\n`);
    return;
  }
  const lines = [
    `logreg evaluate: ${loaded.bundled === null ? loaded.path : `${loaded.bundled} (bundled)`}, target ${ds.target}${ds.targetDefaulted ? ' (the last column, since --target was not given)' : ''}`,
    `  ${ev.n} rows   log loss ${fmt(ev.logLoss)}   accuracy ${fmt(ev.accuracy, 4)}`,
    '',
    ...evaluationTables(ev),
  ];
  if (plots !== null) {
    lines.push('', `  pictures written: ${written.join(', ')}`);
    if (model.classes.length !== 2) lines.push('  (ROC and calibration pictures are for binary models; this one has several classes)');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
