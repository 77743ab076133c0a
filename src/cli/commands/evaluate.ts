import { join } from 'node:path';
import type { Argv } from 'yargs';
import { type EvaluationReport, evaluationReport } from '../../metrics/report.js';
import type { Label } from '../../util/labels.js';
import { numericOptions, parseChoice, parseNumber, single } from '../args.js';
import { loadTableAsync } from '../dataArg.js';
import { engineOptions } from '../engineRoutes.js';
import { CliError } from '../errors.js';
import { checkOutputFolder } from '../files.js';
import { readModelFile } from '../modelFile.js';
import { fmt, formatColumn, table } from '../report.js';
import { csvOptions, readingOptions } from '../tableOptions.js';

export const evaluateCommand = {
  command: 'evaluate',
  describe: 'report log loss, accuracy, ROC AUC, average precision, Brier score, per-class precision/recall/F1 and the confusion matrix of a saved model on labelled data',
  builder: (y: Argv) =>
    numericOptions(readingOptions(engineOptions(
      y
        .option('model', { type: 'string', demandOption: true, describe: 'model JSON written by `logreg train --out`' })
        .option('data', { type: 'string', describe: 'labelled CSV or Parquet file (or bundled name, or - for standard input), or --sql' })
        .option('target', { type: 'string', describe: 'label column (default: the model\'s target)' })
        .option('weight-column', { type: 'string', describe: 'column of per-row weights for every metric' })
        .option('threshold', { type: 'string', describe: 'binary models: predict the positive class when its probability is ≥ this (default 0.5)' })
        .option('unknown-level', { type: 'string', describe: 'a level the model never saw: error (default) or zero (all-zero indicators)' })
        .option('calibration-bins', { type: 'string', describe: 'bins of the calibration curve (default 10)' })
        .option('calibration-strategy', { type: 'string', describe: 'uniform (default: equal widths) or quantile (equal counts)' })
        .option('plots', { type: 'string', describe: 'write confusion.svg, and for binary models roc.svg, pr.svg, gains.svg and calibration.svg, to this folder' })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' }),
      false,
    )), ['threshold', 'calibration-bins']),
  handler: (argv: Record<string, unknown>) => evaluateCli(argv),
};

/** Writes the evaluation's pictures; returns the files written. */
async function writePlots(dir: string, r: EvaluationReport, name: string): Promise<string[]> {
  // Loaded only when pictures are asked for: vega is large, and has top-level await in its graph.
  const plot = await import('../../plot/index.js');
  const files: Array<[import('../../plot/charts.js').ChartSpec, string]> = [];
  files.push([
    plot.confusionHeatmap(r.confusion.labels.map(String), r.confusion.matrix, `Confusion matrix: ${name}`, { legendTitle: r.sampleWeighted ? 'weight of rows' : 'count of rows' }),
    join(dir, 'confusion.svg'),
  ]);
  if (r.kind === 'binary') {
    const positive = `positive class ${String(r.positive)}`;
    if (r.curves.roc !== null && r.rocAuc !== null) files.push([plot.rocChart(r.curves.roc.fpr, r.curves.roc.tpr, r.rocAuc, `ROC curve: ${name} (${positive})`), join(dir, 'roc.svg')]);
    if (r.curves.precisionRecall !== null && r.averagePrecision !== null) {
      files.push([
        plot.precisionRecallChart(r.curves.precisionRecall, r.averagePrecision, r.prevalence, `Precision and recall: ${name} (${positive})`, r.bestF1 === null ? {} : { bestF1: r.bestF1 }),
        join(dir, 'pr.svg'),
      ]);
    }
    if (r.curves.gains !== null) files.push([plot.gainsChart(r.curves.gains, `Cumulative gains: ${name} (${positive})`, { prevalence: r.prevalence }), join(dir, 'gains.svg')]);
    files.push([plot.calibrationChart(r.curves.calibration, `Calibration: ${name}`), join(dir, 'calibration.svg')]);
  }
  return plot.writeSvgs(files);
}

async function evaluateCli(argv: Record<string, unknown>): Promise<void> {
  const sql = single('sql', argv.sql);
  if (argv.data === undefined && sql === undefined) throw new CliError('Missing required argument: data (or --sql)');
  if (argv.data !== undefined && sql !== undefined) throw new CliError('--sql and --data both give the rows; give one of them');
  const data = single('data', argv.data) ?? '';
  const plots = argv.plots === undefined ? null : checkOutputFolder(single('plots', argv.plots) ?? '', '--plots');
  const model = readModelFile(single('model', argv.model) ?? '');
  const thresholdRaw = single('threshold', argv.threshold);
  const threshold = thresholdRaw === undefined ? undefined : parseNumber('threshold', thresholdRaw, 'unit');
  if (threshold !== undefined && model.classes.length !== 2) throw new CliError(`--threshold applies to binary models; this one has ${model.classes.length} classes`);
  const unknownRaw = single('unknown-level', argv['unknown-level']);
  const unknownLevel = unknownRaw === undefined ? 'error' : parseChoice('unknown-level', unknownRaw, ['error', 'zero'] as const);
  const binsRaw = single('calibration-bins', argv['calibration-bins']);
  const nBins = binsRaw === undefined ? 10 : parseNumber('calibration-bins', binsRaw, 'positive-integer');
  const strategyRaw = single('calibration-strategy', argv['calibration-strategy']);
  const strategy = strategyRaw === undefined ? 'uniform' : parseChoice('calibration-strategy', strategyRaw, ['uniform', 'quantile'] as const);
  const weightColumn = single('weight-column', argv['weight-column']);
  const target = single('target', argv.target) ?? model.target;
  const needed = model.inputColumns;
  const loaded = await loadTableAsync(sql === undefined ? data : undefined, {
    ...csvOptions(argv),
    select: (names) => {
      const t = target ?? names[names.length - 1]!;
      return [...new Set([t, ...needed.map((c) => c.name), ...(weightColumn === undefined ? [] : [weightColumn])])].filter((n) => names.includes(n) || n === t);
    },
    categorical: needed.filter((c) => c.kind === 'categorical').map((c) => c.name),
  }, sql);
  const tbl = loaded.table;
  const targetName = target ?? tbl.names[tbl.names.length - 1]!;
  if (!tbl.columns.some((c) => c.name === targetName)) throw new CliError(`${tbl.source}: has no target column ${JSON.stringify(targetName)}`);
  const scored = model.scoreRows(tbl, null, { unknownLevel, target: targetName, ...(weightColumn === undefined ? {} : { weightColumn }) });
  const report = evaluationReport(scored.labels, scored.probabilities, model.classes, {
    ...(scored.weights === null ? {} : { sampleWeight: scored.weights }),
    ...(threshold === undefined ? {} : { threshold }),
    calibration: { nBins, strategy },
  });
  const frame = scored.frame!;
  const name = loaded.bundled ?? loaded.path;
  const finish = (written: string[]) => {
    if (argv.json === true) process.stdout.write(`${JSON.stringify(reportJson(report, scored.logLoss, name, targetName, frame.dropped, frame.unknown, written))}\n`);
    else process.stdout.write(`${reportLines(report, scored.logLoss, loaded.bundled === null ? loaded.path : `${loaded.bundled} (bundled)`, targetName, frame.dropped, frame.unknown, written).join('\n')}\n`);
  };
  if (plots === null) return finish([]);
  return writePlots(plots, report, name).then(finish);
}

/** The JSON of an evaluation: every metric, the curves left out (the pictures draw them). */
function reportJson(r: EvaluationReport, logLoss: number, data: string, target: string, dropped: number, unknown: number, plots: string[]) {
  const common = {
    data, target, classes: r.classes, n_samples: r.n, total_weight: r.totalWeight, rows_dropped: dropped, rows_with_unknown_levels: unknown,
    log_loss: logLoss, accuracy: r.accuracy, balanced_accuracy: r.balancedAccuracy, brier_score: r.brierScore,
    per_class: r.perClass.map((c) => ({ class: c.label, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
    macro: r.macro, weighted: r.weighted, confusion_matrix: r.confusion.matrix, notes: r.notes,
    ...(plots.length === 0 ? {} : { plots }),
  };
  if (r.kind === 'multiclass') return { ...common, roc_auc_ovr: r.rocAucOvr };
  return {
    ...common, positive_class: r.positive, threshold: r.threshold, prevalence: r.prevalence, roc_auc: r.rocAuc, average_precision: r.averagePrecision,
    best_f1: r.bestF1,
  };
}

/** The text report. */
function reportLines(r: EvaluationReport, logLoss: number, where: string, target: string, dropped: number, unknown: number, plots: string[]): string[] {
  const lines = [`logreg evaluate: ${where}, target ${target}`];
  const rows = `${r.n} rows${r.sampleWeighted ? ` (total weight ${fmt(r.totalWeight)})` : ''}`;
  lines.push(`  ${rows}   log loss ${fmt(logLoss)}   accuracy ${fmt(r.accuracy, 4)}   balanced accuracy ${fmt(r.balancedAccuracy, 4)}   Brier ${fmt(r.brierScore, 4)}`);
  if (r.kind === 'binary') {
    const auc = r.rocAuc === null ? 'undefined' : fmt(r.rocAuc, 4);
    const ap = r.averagePrecision === null ? 'undefined' : fmt(r.averagePrecision, 4);
    lines.push(`  positive class ${String(r.positive)}: ROC AUC ${auc}   average precision (PR AUC) ${ap}   prevalence ${fmt(r.prevalence, 4)}`);
    if (r.bestF1 !== null) {
      lines.push(`  best F1 ${fmt(r.bestF1.f1, 4)} at threshold ${fmt(r.bestF1.threshold, 4)} (precision ${fmt(r.bestF1.precision, 4)}, recall ${fmt(r.bestF1.recall, 4)}); the tables use threshold ${fmt(r.threshold, 4)}`);
    }
  } else if (r.rocAucOvr !== null) {
    lines.push(`  ROC AUC one-vs-rest: macro ${fmt(r.rocAucOvr.macro, 4)}   weighted ${fmt(r.rocAucOvr.weighted, 4)}`);
  }
  if (dropped > 0) lines.push(`  ${dropped} row${dropped === 1 ? '' : 's'} left out for missing values`);
  if (unknown > 0) lines.push(`  ${unknown} row${unknown === 1 ? ' has a level' : 's have levels'} not seen in fitting (all-zero indicators)`);
  lines.push('', ...classTables(r));
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (plots.length > 0) lines.push('', `  pictures written: ${plots.join(', ')}`);
  return lines;
}

/** Per-class precision/recall/F1 with macro and weighted averages, and the confusion matrix. */
function classTables(r: EvaluationReport): string[] {
  const names = [...r.perClass.map((c) => String(c.label)), 'macro average', 'weighted average'];
  const all = [...r.perClass, r.macro, r.weighted];
  const cols = [formatColumn(all.map((c) => c.precision)), formatColumn(all.map((c) => c.recall)), formatColumn(all.map((c) => c.f1))];
  const support = r.sampleWeighted ? formatColumn(all.map((c) => c.support)) : all.map((c) => String(c.support));
  const rows = names.map((n, i) => [n, cols[0]![i]!, cols[1]![i]!, cols[2]![i]!, support[i]!]);
  const labels = r.confusion.labels.map((l: Label) => String(l));
  // Weighted counts: every cell with the same decimals.
  const cells = r.sampleWeighted ? formatColumn(r.confusion.matrix.flat()) : r.confusion.matrix.flat().map(String);
  const counts = r.confusion.matrix.map((row, a) => row.map((_, b) => cells[a * row.length + b]!));
  return [
    table(['class', 'precision', 'recall', 'F1', 'support'], rows),
    '',
    `  confusion matrix (rows: true class, columns: predicted${r.kind === 'binary' ? `; threshold ${fmt(r.threshold, 4)}` : ''})`,
    table(['', ...labels], counts.map((row, a) => [labels[a]!, ...row])),
  ];
}
