import type { Argv } from 'yargs';
import {
  type Classifier, type Evaluation, type Inference, type Label, LogisticRegression, type ModelOptions, SOLVERS, PENALTIES,
  SoftmaxRegression, type Solver, InferenceError, defaultMaxIter, evaluationOf, stratifiedSplit,
} from '../../index.js';
import { columnsNeeded } from '../../design/modelFrame.js';
import { separationWarning } from '../../model/separationCheck.js';
import { parseFormula } from '../../design/formula.js';
import type { Column, Table } from '../../data/table.js';
import { numericOptions, parseChoice, parseNumber, single } from '../args.js';
import { flag, parseClassWeight } from '../fitArgs.js';
import { loadTableAsync } from '../dataArg.js';
import { engineOptions, trainElsewhere } from '../engineRoutes.js';
import { CliError } from '../errors.js';
import { type OutputTarget, checkOutputPath, writeOutput } from '../files.js';
import { fitProgress } from '../progress.js';
import { classNames, coefficientLines, coefficientsJson, fmt, formatColumn, inferenceJson, inferenceLines, rowsOf, table } from '../report.js';
import { type SummaryPlan, parseSummaryOptions, summaryError, summaryOptions } from '../summaryOptions.js';
import { csvOptions, designOptions, designSpec, readingOptions } from '../tableOptions.js';

export const trainCommand = {
  command: 'train [dataset]',
  describe: 'fit a model on a data set (a bundled name, a CSV or Parquet path, or --sql) and report how well it fits',
  builder: (y: Argv) =>
    numericOptions(summaryOptions(designOptions(readingOptions(engineOptions(
      y
        .positional('dataset', { type: 'string', describe: 'the same as --data (give one of them)' })
        .option('data', { type: 'string', describe: 'bundled data set name (see `logreg datasets`), path to a CSV file, or - for standard input' })
        .option('target', { type: 'string', describe: 'label column (default: the formula\'s response, the bundled set\'s target, else the last column)' })
        .option('model', { type: 'string', default: 'auto', describe: 'auto | binary | softmax (auto: binary for 2 classes, softmax for more)' })
        .option('solver', { type: 'string', default: 'auto', describe: `${SOLVERS.join(' | ')} (auto: lbfgs, then trust-region Newton-CG if it has not converged in 50 iterations)` })
        .option('C', { type: 'string', default: 1, describe: 'inverse regularization strength, > 0 (-C or --C)' })
        .option('penalty', { type: 'string', default: 'l2', describe: 'l2 | l1 | elasticnet | none: (a·‖W‖₁ + (1 − a)/2·‖W‖²)/(C·S), a = --l1-ratio' })
        .option('l1-ratio', { type: 'string', describe: 'a in [0, 1] for --penalty elasticnet (1: lasso, 0: ridge)' })
        .option('standardize', { type: 'boolean', default: false, describe: 'z-score numeric columns with the training mean and population std (stored in the model); indicator columns are left alone' })
        .option('intercept', { type: 'boolean', default: true, describe: 'fit an intercept (--no-intercept: none)' })
        .option('class-weight', { type: 'string', describe: "balanced (n / (K · class count)), or weights by class: 'benign=1,malignant=3'" })
        .option('test-size', { type: 'string', describe: 'hold out this fraction (0 < f < 1), stratified, and report on it' })
        .option('seed', { type: 'string', default: 0, describe: 'seed of the split and of SGD' })
        .option('max-iter', { type: 'string', describe: 'iteration limit (default: auto and lbfgs 1000, newton 100, gd 10000, sgd 200 epochs)' })
        .option('tol', { type: 'string', describe: 'stop when the gradient\'s largest component is ≤ tol (default 1e-8; sgd 1e-4)' })
        .option('learning-rate', { type: 'string', describe: 'gd: fixed step (default: Armijo backtracking); sgd: first step (default 1)' })
        .option('batch-size', { type: 'string', describe: 'sgd: rows per mini-batch (default 8)' })
        .option('epochs', { type: 'string', describe: 'gd/sgd: the same as --max-iter' })
        .option('threads', { type: 'string', describe: 'threads for the passes over the data: auto (default) or a number (1: one thread)' })
        .option('out', { type: 'string', describe: 'write the model to this JSON file (atomically)' })
        .option('summary', { type: 'boolean', default: false, describe: 'standard errors, z, p-values, 95% intervals, log-likelihood, AIC, BIC (as statsmodels Logit/MNLogit)' })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' }),
      true,
    )))), ['C', 'l1-ratio', 'test-size', 'seed', 'max-iter', 'tol', 'learning-rate', 'batch-size', 'epochs', 'conf-level']),
  handler: (argv: Record<string, unknown>) => train(argv),
};

interface TrainPlan {
  data: string;
  target: string | undefined;
  model: 'auto' | 'binary' | 'softmax';
  options: ModelOptions;
  testSize: number | null;
  seed: number;
  out: OutputTarget | null;
  json: boolean;
  quiet: boolean;
  summary: boolean;
  /** The --summary options (src/cli/summaryOptions.ts). */
  summaryPlan: SummaryPlan;
}

/** Every option checked before any file is read: a bad value is one line naming the flag. */
function plan(argv: Record<string, unknown>): TrainPlan {
  const solver = parseChoice<Solver>('solver', single('solver', argv.solver), SOLVERS);
  const penalty = parseChoice('penalty', single('penalty', argv.penalty), PENALTIES);
  const l1Raw = single('l1-ratio', argv['l1-ratio']);
  const l1Ratio = l1Raw === undefined ? undefined : parseNumber('l1-ratio', l1Raw, 'unit');
  if (penalty === 'elasticnet' && l1Ratio === undefined) throw new CliError('--penalty elasticnet needs --l1-ratio a (0 ≤ a ≤ 1; 1: lasso, 0: ridge)');
  if (l1Ratio !== undefined && penalty !== 'elasticnet') throw new CliError(`--l1-ratio applies to --penalty elasticnet, not ${penalty}`);
  if ((penalty === 'l1' || penalty === 'elasticnet') && solver !== 'auto') throw new CliError(`--penalty ${penalty} is fitted by --solver auto (proximal Newton), not ${solver}`);
  const model = parseChoice('model', single('model', argv.model), ['auto', 'binary', 'softmax'] as const);
  const C = parseNumber('C', single('C', argv.C), 'positive');
  const maxIterRaw = single('max-iter', argv['max-iter']);
  const epochsRaw = single('epochs', argv.epochs);
  if (epochsRaw !== undefined && solver !== 'gd' && solver !== 'sgd') throw new CliError(`--epochs applies to --solver gd or sgd, not ${solver}; use --max-iter`);
  if (epochsRaw !== undefined && maxIterRaw !== undefined) throw new CliError('--epochs and --max-iter mean the same for gd/sgd; give one of them');
  const iterRaw = maxIterRaw ?? epochsRaw;
  const maxIter = iterRaw === undefined ? undefined : parseNumber(maxIterRaw !== undefined ? 'max-iter' : 'epochs', iterRaw, 'positive-integer');
  const tolRaw = single('tol', argv.tol);
  const lrRaw = single('learning-rate', argv['learning-rate']);
  const bsRaw = single('batch-size', argv['batch-size']);
  if (lrRaw !== undefined && solver !== 'gd' && solver !== 'sgd') throw new CliError(`--learning-rate applies to --solver gd or sgd, not ${solver}`);
  if (bsRaw !== undefined && solver !== 'sgd') throw new CliError(`--batch-size applies to --solver sgd, not ${solver}`);
  const classWeight = parseClassWeight(single('class-weight', argv['class-weight']));
  const testRaw = single('test-size', argv['test-size']);
  const seed = parseNumber('seed', single('seed', argv.seed), 'integer');
  const threadsRaw = single('threads', argv.threads);
  const threads = threadsRaw === undefined || threadsRaw === 'auto' ? undefined : parseNumber('threads', threadsRaw, 'positive-integer');
  // The positional has a key of its own: under --data's, yargs would let it silently override --data.
  const dataOption = single('data', argv.data);
  const dataPositional = single('data', argv.dataset);
  if (dataOption !== undefined && dataPositional !== undefined) {
    throw new CliError(`the data set was given twice (${dataPositional} and --data ${dataOption}); give one of them`);
  }
  const positional = dataOption ?? dataPositional;
  if (positional === undefined && argv.sql === undefined && argv.table === undefined) throw new CliError('train needs a data set: logreg train --data <name or file.csv> (see logreg datasets)');
  const outRaw = single('out', argv.out);
  const summaryPlan = parseSummaryOptions(argv, flag('summary', argv.summary));
  const options: ModelOptions = {
    solver, penalty, C, seed,
    ...(l1Ratio === undefined ? {} : { l1Ratio }),
    standardize: flag('standardize', argv.standardize),
    fitIntercept: argv.intercept !== false,
    ...(maxIter === undefined ? {} : { maxIter }),
    ...(tolRaw === undefined ? {} : { tol: parseNumber('tol', tolRaw, 'positive') }),
    ...(lrRaw === undefined ? {} : { learningRate: parseNumber('learning-rate', lrRaw, 'positive') }),
    ...(bsRaw === undefined ? {} : { batchSize: parseNumber('batch-size', bsRaw, 'positive-integer') }),
    ...(classWeight === undefined ? {} : { classWeight }),
    ...(threads === undefined ? {} : { threads }),
    ...(summaryPlan.positiveClass === null ? {} : { positiveClass: summaryPlan.positiveClass }),
  };
  return {
    data: positional ?? '',
    target: single('target', argv.target),
    model,
    options,
    testSize: testRaw === undefined ? null : parseNumber('test-size', testRaw, 'fraction'),
    seed,
    out: outRaw === undefined ? null : checkOutputPath(outRaw, '--out', positional === undefined ? [] : [positional]),
    json: flag('json', argv.json),
    quiet: flag('quiet', argv.quiet),
    summary: flag('summary', argv.summary),
    summaryPlan,
  };
}

/** The labels of a column (null where missing), to split rows and count classes before fitting. */
function columnLabels(c: Column): Array<Label | null> {
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]!));
}

/**
 * The number of distinct labels of a column's non-missing cells (of `rows` only, when given),
 * counted on its codes or values: no label array for ten million rows.
 */
function distinctLabels(c: Column, rows: Uint32Array | null): number {
  const n = rows === null ? (c.kind === 'numeric' ? c.values.length : c.codes.length) : rows.length;
  if (c.kind === 'numeric') {
    const seen = new Set<number>();
    for (let t = 0; t < n; t++) {
      const v = c.values[rows === null ? t : rows[t]!]!;
      if (!Number.isNaN(v)) seen.add(v === 0 ? 0 : v); // −0 and 0 are one label
    }
    return seen.size;
  }
  const seen = new Uint8Array(c.levels.length);
  let count = 0;
  for (let t = 0; t < n; t++) {
    const k = c.codes[rows === null ? t : rows[t]!]!;
    if (k >= 0 && seen[k] === 0) {
      seen[k] = 1;
      count++;
    }
  }
  return count;
}

/** The stratified split of the labelled rows (rows without a label stay with the training rows, where the design deals with them). */
function split(table: Table, target: Column, testSize: number, seed: number): { train: Uint32Array; test: Uint32Array } {
  const labels = columnLabels(target);
  const labelled = labels.map((l, i) => (l === null ? -1 : i)).filter((i) => i >= 0);
  const counts = new Map<Label, number>();
  for (const i of labelled) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
  for (const [label, count] of counts) {
    if (count < 2) throw new CliError(`--test-size: the class ${JSON.stringify(label)} has a single row in ${table.source}, so it cannot be both fitted and tested; every class needs 2 rows or more`);
  }
  let parts;
  try {
    parts = stratifiedSplit(labelled.map((i) => labels[i]!), testSize, seed);
  } catch (e) {
    throw new CliError(`--test-size ${testSize}: ${(e as Error).message}`);
  }
  const unlabelled = labels.map((l, i) => (l === null ? i : -1)).filter((i) => i >= 0);
  const train = Uint32Array.from([...Array.from(parts.train, (r) => labelled[r]!), ...unlabelled].sort((a, b) => a - b));
  return { train, test: Uint32Array.from(parts.test, (r) => labelled[r]!) };
}

export async function train(argv: Record<string, unknown>): Promise<void> {
  const p = plan(argv);
  const spec = designSpec(argv);
  // Streamed (--memory-limit, large Parquet) and pushed-down (--engine) fits: src/cli/engineRoutes.ts.
  const data = p.data === '' ? undefined : p.data;
  const elsewhere = {
    data, target: p.target, model: p.model, options: p.options, testSize: p.testSize, summary: p.summary, out: p.out, json: p.json, quiet: p.quiet, csv: csvOptions(argv),
  };
  if (await trainElsewhere(elsewhere, spec, argv)) return;
  const formulaResponse = spec.formula ? parseFormula(spec.formula).response : null;
  let target = p.target ?? formulaResponse ?? undefined;
  let targetDefaulted = false;
  const tRead = performance.now();
  const loaded = await loadTableAsync(data, {
    ...csvOptions(argv),
    select: (names) => {
      if (target === undefined) {
        target = names[names.length - 1]!;
        targetDefaulted = true;
      }
      const cluster = p.summaryPlan.clusterColumn;
      if (cluster !== null && !names.includes(cluster)) throw new CliError(`--cluster-column: ${p.data} has no column ${JSON.stringify(cluster)}`);
      // --exclude is checked against the header here: its columns are not read (see fitTable below).
      const absent = (spec.exclude ?? []).find((n) => !names.includes(n));
      if (absent !== undefined) throw new CliError(`--exclude: ${p.data} has no column ${JSON.stringify(absent)} (columns: ${names.join(', ')})`);
      return [...new Set([...columnsNeeded({ ...spec, target }, names), ...(cluster === null ? [] : [cluster])])];
    },
  }, single('sql', argv.sql));
  // A bundled set's own target wins over the last column.
  if (targetDefaulted && loaded.bundledTarget !== null) {
    target = loaded.bundledTarget;
    targetDefaulted = false;
  }
  const readSeconds = (performance.now() - tRead) / 1000;
  const tbl = loaded.table;
  const targetName = target!;
  const targetColumn = tbl.columns.find((c) => c.name === targetName);
  if (targetColumn === undefined) throw new CliError(`${tbl.source}: has no target column ${JSON.stringify(targetName)}`);
  const parts = p.testSize === null ? null : split(tbl, targetColumn, p.testSize, p.seed);

  // The model kind: from the classes of the labelled (training) rows.
  const classCount = distinctLabels(targetColumn, parts?.train ?? null);
  const kind = p.model === 'auto' ? (classCount > 2 ? 'softmax' : 'binary') : p.model;
  if (kind === 'binary' && classCount > 2) {
    throw new CliError(`--model binary fits two classes, but ${targetName} has ${classCount}; use --model softmax (or auto)`);
  }
  const progress = fitProgress(!p.quiet && !p.json, p.options.maxIter ?? defaultMaxIter(p.options.solver ?? 'auto'));
  const model: Classifier = kind === 'binary'
    ? new LogisticRegression({ ...p.options, onIteration: progress.onIteration })
    : new SoftmaxRegression({ ...p.options, onIteration: progress.onIteration });
  try {
    // Excluded columns that were not read are not in the table: the design would call them unknown.
    const exclude = spec.exclude ? spec.exclude.filter((n) => tbl.columns.some((c) => c.name === n)) : null;
    model.fitTable(tbl, { ...spec, exclude, target: targetName, intercept: p.options.fitIntercept ?? true }, parts?.train ?? null);
  } finally {
    progress.stop();
  }
  const fitReport = model.fitReport!;
  const tEval = performance.now();
  const trainEval = model.trainingScores();
  const testScored = parts === null ? null : model.scoreRows(tbl, null, { rows: parts.test, unknownLevel: 'zero' });
  const testEval = testScored === null ? null : evaluationOf(model.classes, testScored);
  const evaluateSeconds = (performance.now() - tEval) / 1000;
  let inference: Inference | { error: string; reason: string } | null = null;
  if (p.summary) {
    try {
      inference = model.summary(p.summaryPlan.options);
    } catch (e) {
      if (!(e instanceof InferenceError)) throw summaryError(e);
      inference = { error: e.message, reason: e.reason };
    }
  }
  if (p.out !== null) writeOutput(p.out, `${JSON.stringify(model.toJSON(), null, 1)}\n`, '--out');

  const dg = model.diagnostics;
  const names = model.featureNames ?? [];
  const separation = dg.separation === null ? null : separationWarning(dg.separation);
  const warnings = [
    ...(separation === null ? [] : [separation]),
    ...fitReport.warnings,
    ...(testScored?.frame?.warnings.map((w) => `held out: ${w}`) ?? []),
  ];
  if (p.json) {
    const result = {
      data: loaded.bundled ?? loaded.path,
      target: targetName,
      target_defaulted: targetDefaulted,
      formula: model.design?.formula ?? null,
      model: model.kind,
      classes: model.classes,
      n_samples: trainEval.n,
      n_features: model.nFeatures,
      features: names,
      rows_dropped: fitReport.dropped,
      objective: dg.objective,
      log_loss: trainEval.logLoss,
      accuracy: trainEval.accuracy,
      iterations: dg.iterations,
      converged: dg.converged,
      reason: dg.reason,
      grad_norm: dg.gradNorm,
      fit_seconds: dg.fitSeconds,
      seconds: { read: readSeconds, model_matrix: fitReport.designSeconds, fit: dg.fitSeconds, evaluate: evaluateSeconds },
      solver: dg.solver,
      method: dg.method,
      C: model.options.penalty === 'none' ? null : model.options.C,
      penalty: model.options.penalty,
      ...(model.options.penalty === 'elasticnet' ? { l1_ratio: model.options.l1Ratio } : {}),
      nonzero: nonzeroCount(model),
      standardize: model.options.standardize,
      evaluations: dg.evaluations,
      separation: dg.separation,
      coefficients: coefficientsJson(model),
      warnings,
      ...(testEval === null ? {} : { test: { n_samples: testEval.n, log_loss: testEval.logLoss, accuracy: testEval.accuracy } }),
      ...(p.out === null ? {} : { out: p.out.given }),
      ...(inference === null ? {} : { inference: inferenceJson(inference) }),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines: string[] = [];
  const where = loaded.bundled === null ? loaded.path : `${loaded.bundled} (bundled)`;
  lines.push(`logreg train: ${where}`);
  lines.push(`  target      ${targetName}${targetDefaulted ? ' (the last column, since --target was not given)' : ''}`);
  const held = parts === null ? '' : `, ${parts.test.length} held out`;
  lines.push(`  data        ${trainEval.n} rows${held}; ${names.length} model columns; ${model.classes.length} classes: ${classNames(model.classes)}`);
  if (fitReport.dropped > 0) lines.push(`  dropped     ${fitReport.dropped} row${fitReport.dropped === 1 ? '' : 's'} with a missing value (--missing drop)`);
  if (model.design?.formula) lines.push(`  formula     ${model.design.formula}`);
  const o = model.options;
  const weighted = model.design?.weightColumn ? ', sample weights' : '';
  const cw = o.classWeight === null ? '' : o.classWeight === 'balanced' ? ', balanced class weights' : ', class weights';
  lines.push(`  model       ${model.kind === 'binary' ? 'binary logistic' : 'softmax'} regression, solver ${o.solver}${dg.method !== o.solver ? ` (${dg.method})` : ''}, ${penaltyText(o)}${o.standardize ? ', standardized numeric columns' : ''}${cw}${weighted}${model.fitIntercept ? '' : ', no intercept'}`);
  const separated = separation !== null;
  const status = separated ? `stopped (no maximum-likelihood estimate: ${dg.separation!.status} separation)` : dg.converged ? 'converged' : 'DID NOT CONVERGE';
  lines.push(`  fit         ${status} after ${dg.iterations} iterations (${dg.reason}) in ${fmt(dg.fitSeconds, 3)} s`);
  lines.push(`  objective   ${dg.objective.toPrecision(15)}   (largest gradient component ${dg.gradNorm.toExponential(2)})`);
  lines.push(`  training    log loss ${fmt(trainEval.logLoss)}   accuracy ${fmt(trainEval.accuracy, 4)}`);
  if (testEval !== null) {
    lines.push(`  held out    log loss ${fmt(testEval.logLoss)}   accuracy ${fmt(testEval.accuracy, 4)}   (${testEval.n} rows, --test-size ${p.testSize}, --seed ${p.seed})`);
    lines.push('', ...evaluationTables(testEval));
  }
  if (o.l1Ratio > 0) lines.push(`  kept        ${keptText(model)}`);
  if (inference !== null) lines.push('', ...inferenceLines(inference));
  else lines.push('', ...coefficientLines(model));
  if (!dg.converged && !separated) lines.push('', `  warning: the optimizer stopped before the tolerance was met; try --max-iter, --standardize or --solver newton`);
  for (const w of warnings) lines.push(`  warning: ${w}`);
  if (p.out !== null) lines.push('', `  model written to ${p.out.given}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The penalty as the report states it. */
export function penaltyText(o: Classifier['options']): string {
  if (o.penalty === 'none') return 'no penalty';
  if (o.penalty === 'l2') return `L2 with C = ${fmt(o.C)}`;
  if (o.penalty === 'l1') return `L1 with C = ${fmt(o.C)}`;
  return `elastic net with C = ${fmt(o.C)}, l1 ratio ${fmt(o.l1Ratio)}`;
}

/** Non-zero coefficients (intercepts not counted). */
export function nonzeroCount(model: Classifier): number {
  return model.coef.reduce((n, row) => n + row.filter((v) => v !== 0).length, 0);
}

/** The columns an L1 fit kept (a non-zero coefficient for some class), for the report. */
function keptText(model: Classifier): string {
  const names = model.featureNames ?? Array.from({ length: model.nFeatures }, (_, j) => `x${j}`);
  const kept = names.filter((_, j) => model.coef.some((row) => row[j] !== 0));
  const list = kept.length > 12 ? `${kept.slice(0, 12).join(', ')}, … (${kept.length - 12} more)` : kept.join(', ');
  return `${kept.length} of ${names.length} columns (${nonzeroCount(model)} non-zero coefficients)${kept.length > 0 ? `: ${list}` : ''}`;
}

/** Per-class precision/recall/F1 and the confusion matrix, as report lines. */
export function evaluationTables(ev: Evaluation): string[] {
  // Each numeric column formatted alike (1.0000 beside 0.9667, not 1).
  const all = [...ev.perClass, ev.macro];
  const rows = rowsOf([
    [...ev.perClass.map((c) => String(c.label)), 'macro average'],
    formatColumn(all.map((c) => c.precision)), formatColumn(all.map((c) => c.recall)), formatColumn(all.map((c) => c.f1)),
    all.map((c) => String(c.support)),
  ]);
  const labels = ev.confusion.labels.map((l: Label) => String(l));
  return [
    table(['class', 'precision', 'recall', 'F1', 'support'], rows),
    '',
    '  confusion matrix (rows: true class, columns: predicted)',
    table(['', ...labels], ev.confusion.matrix.map((r, a) => [labels[a]!, ...r.map(String)])),
  ];
}
