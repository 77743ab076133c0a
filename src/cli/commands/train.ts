import type { Argv } from 'yargs';
import {
  type Classifier, type Evaluation, type Inference, type Label, type ModelOptions, SOLVERS, type Solver,
  InferenceError, defaultMaxIter, evaluateModel, fit, stratifiedSplit, takeRows,
} from '../../index.js';
import { parseChoice, parseNumber, single } from '../args.js';
import { loadData } from '../dataArg.js';
import { CliError } from '../errors.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { fitProgress } from '../progress.js';
import { classNames, fmt, table } from '../report.js';

export const trainCommand = {
  command: 'train',
  describe: 'fit a model on a CSV data set (a bundled name or a path) and report how well it fits',
  builder: (y: Argv) =>
    y
      .option('data', { type: 'string', demandOption: true, describe: 'bundled data set name (see `logreg datasets`) or path to a CSV file' })
      .option('target', { type: 'string', describe: 'label column (default: the bundled set\'s target, else the last column)' })
      .option('model', { type: 'string', default: 'auto', describe: 'auto | binary | softmax (auto: binary for 2 classes, softmax for more)' })
      .option('solver', { type: 'string', default: 'auto', describe: `${SOLVERS.join(' | ')} (auto: lbfgs, then trust-region Newton-CG if it has not converged in 50 iterations)` })
      .option('C', { type: 'string', default: '1', describe: 'inverse regularization strength (> 0)' })
      .option('penalty', { type: 'string', default: 'l2', describe: 'l2 | none' })
      .option('standardize', { type: 'boolean', default: false, describe: 'z-score features with the training mean and population std (stored in the model)' })
      .option('class-weight', { type: 'string', describe: 'balanced: weight rows by n / (K · class count)' })
      .option('weight-column', { type: 'string', describe: 'column of per-row sample weights (≥ 0)' })
      .option('test-size', { type: 'string', describe: 'hold out this fraction (0 < f < 1), stratified, and report on it' })
      .option('seed', { type: 'string', default: '0', describe: 'seed of the split and of SGD' })
      .option('max-iter', { type: 'string', describe: 'iteration limit (default: auto and lbfgs 1000, newton 100, gd 10000, sgd 200 epochs)' })
      .option('tol', { type: 'string', describe: 'stop when the gradient\'s largest component is ≤ tol (default 1e-8; sgd 1e-4)' })
      .option('learning-rate', { type: 'string', describe: 'gd: fixed step (default: Armijo backtracking); sgd: first step (default 1)' })
      .option('batch-size', { type: 'string', describe: 'sgd: rows per mini-batch (default 8)' })
      .option('epochs', { type: 'string', describe: 'gd/sgd: the same as --max-iter' })
      .option('delimiter', { type: 'string', describe: 'CSV delimiter: , ; or tab (default: detected)' })
      .option('out', { type: 'string', describe: 'write the model to this JSON file (atomically)' })
      .option('summary', { type: 'boolean', default: false, describe: 'standard errors, z, p-values, 95% intervals, log-likelihood, AIC, BIC (as statsmodels Logit/MNLogit)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' }),
  handler: (argv: Record<string, unknown>) => train(argv),
};

interface TrainPlan {
  data: string;
  target: string | undefined;
  model: 'auto' | 'binary' | 'softmax';
  options: ModelOptions;
  weightColumn: string | undefined;
  testSize: number | null;
  seed: number;
  delimiter: string | undefined;
  out: string | null;
  json: boolean;
  quiet: boolean;
  summary: boolean;
}

/** Every option checked before any file is read: a bad value is one line naming the flag. */
function plan(argv: Record<string, unknown>): TrainPlan {
  const solver = parseChoice<Solver>('solver', single('solver', argv.solver), SOLVERS);
  const penalty = parseChoice('penalty', single('penalty', argv.penalty), ['l2', 'none'] as const);
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
  const cw = single('class-weight', argv['class-weight']);
  if (cw !== undefined && cw !== 'balanced') throw new CliError(`--class-weight must be balanced, got ${cw}`);
  const testRaw = single('test-size', argv['test-size']);
  const seed = parseNumber('seed', single('seed', argv.seed), 'integer');
  const out = single('out', argv.out);
  const options: ModelOptions = {
    solver, penalty, C, seed,
    standardize: argv.standardize === true,
    ...(maxIter === undefined ? {} : { maxIter }),
    ...(tolRaw === undefined ? {} : { tol: parseNumber('tol', tolRaw, 'positive') }),
    ...(lrRaw === undefined ? {} : { learningRate: parseNumber('learning-rate', lrRaw, 'positive') }),
    ...(bsRaw === undefined ? {} : { batchSize: parseNumber('batch-size', bsRaw, 'positive-integer') }),
    ...(cw === undefined ? {} : { classWeight: 'balanced' as const }),
  };
  return {
    data: single('data', argv.data) ?? '',
    target: single('target', argv.target),
    model,
    options,
    weightColumn: single('weight-column', argv['weight-column']),
    testSize: testRaw === undefined ? null : parseNumber('test-size', testRaw, 'fraction'),
    seed,
    delimiter: single('delimiter', argv.delimiter),
    out: out === undefined ? null : checkOutputPath(out, '--out'),
    json: argv.json === true,
    quiet: argv.quiet === true,
    summary: argv.summary === true,
  };
}

export function train(argv: Record<string, unknown>): void {
  const p = plan(argv);
  const loaded = loadData(p.data, {
    ...(p.target === undefined ? {} : { target: p.target }),
    ...(p.weightColumn === undefined ? {} : { weightColumn: p.weightColumn }),
    ...(p.delimiter === undefined ? {} : { delimiter: p.delimiter }),
  });
  const ds = loaded.dataset;
  const split = p.testSize === null ? null : stratifiedSplit(ds.y!, p.testSize, p.seed);
  const tr = takeRows(ds, split?.train ?? null);
  const progress = fitProgress(!p.quiet && !p.json, p.options.maxIter ?? defaultMaxIter(p.options.solver ?? 'auto'));
  let model: Classifier;
  try {
    model = fit(tr.X, tr.y, {
      ...p.options, model: p.model, sampleWeight: tr.weights, featureNames: ds.featureNames, onIteration: progress.onIteration,
    });
  } finally {
    progress.stop();
  }
  const trainEval = evaluateModel(model, tr.X, tr.y);
  const te = split === null ? null : takeRows(ds, split.test);
  const testEval = te === null ? null : evaluateModel(model, te.X, te.y);
  let inference: Inference | { error: string; reason: string } | null = null;
  if (p.summary) {
    try {
      inference = model.summary();
    } catch (e) {
      if (!(e instanceof InferenceError)) throw e;
      inference = { error: e.message, reason: e.reason };
    }
  }
  if (p.out !== null) writeFileAtomic(p.out, `${JSON.stringify(model.toJSON(), null, 1)}\n`, '--out');

  const dg = model.diagnostics;
  if (p.json) {
    const result = {
      data: loaded.bundled ?? loaded.path,
      target: ds.target,
      target_defaulted: ds.targetDefaulted,
      model: model.kind,
      classes: model.classes,
      n_samples: tr.y.length,
      n_features: ds.d,
      objective: dg.objective,
      log_loss: trainEval.logLoss,
      accuracy: trainEval.accuracy,
      iterations: dg.iterations,
      converged: dg.converged,
      reason: dg.reason,
      grad_norm: dg.gradNorm,
      fit_seconds: dg.fitSeconds,
      solver: dg.solver,
      method: dg.method,
      C: model.options.penalty === 'none' ? null : model.options.C,
      penalty: model.options.penalty,
      standardize: model.options.standardize,
      evaluations: dg.evaluations,
      ...(testEval === null ? {} : { test: { n_samples: testEval.n, log_loss: testEval.logLoss, accuracy: testEval.accuracy } }),
      ...(p.out === null ? {} : { out: p.out }),
      ...(inference === null ? {} : { inference: inferenceJson(inference) }),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines: string[] = [];
  const where = loaded.bundled === null ? loaded.path : `${loaded.bundled} (bundled)`;
  lines.push(`logreg train: ${where}`);
  lines.push(`  target      ${ds.target}${ds.targetDefaulted ? ' (the last column, since --target was not given)' : ''}`);
  lines.push(`  data        ${tr.y.length} rows × ${ds.d} features${split === null ? '' : ` (training), ${split.test.length} held out`}; ${model.classes.length} classes: ${classNames(model.classes)}`);
  const o = model.options;
  lines.push(`  model       ${model.kind === 'binary' ? 'binary logistic' : 'softmax'} regression, solver ${o.solver}${dg.method !== o.solver ? ` (${dg.method})` : ''}, ${o.penalty === 'none' ? 'no penalty' : `L2 with C = ${fmt(o.C)}`}${o.standardize ? ', standardized features' : ''}${o.classWeight === 'balanced' ? ', balanced class weights' : ''}${ds.weights !== null ? ', sample weights' : ''}`);
  lines.push(`  fit         ${dg.converged ? 'converged' : 'DID NOT CONVERGE'} after ${dg.iterations} iterations (${dg.reason}) in ${fmt(dg.fitSeconds, 3)} s`);
  lines.push(`  objective   ${dg.objective.toPrecision(15)}   (largest gradient component ${dg.gradNorm.toExponential(2)})`);
  lines.push(`  training    log loss ${fmt(trainEval.logLoss)}   accuracy ${fmt(trainEval.accuracy, 4)}`);
  if (testEval !== null) {
    lines.push(`  held out    log loss ${fmt(testEval.logLoss)}   accuracy ${fmt(testEval.accuracy, 4)}   (${testEval.n} rows, --test-size ${p.testSize}, --seed ${p.seed})`);
    lines.push('', ...evaluationTables(testEval));
  }
  if (inference !== null) lines.push('', ...inferenceLines(inference));
  if (!dg.converged) lines.push('', `  warning: the optimizer stopped before the tolerance was met; try --max-iter, --standardize or --solver newton`);
  if (p.out !== null) lines.push('', `  model written to ${p.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Per-class precision/recall/F1 and the confusion matrix, as report lines. */
export function evaluationTables(ev: Evaluation): string[] {
  const rows = ev.perClass.map((c) => [String(c.label), fmt(c.precision, 4), fmt(c.recall, 4), fmt(c.f1, 4), String(c.support)]);
  rows.push(['macro average', fmt(ev.macro.precision, 4), fmt(ev.macro.recall, 4), fmt(ev.macro.f1, 4), String(ev.macro.support)]);
  const labels = ev.confusion.labels.map((l: Label) => String(l));
  return [
    table(['class', 'precision', 'recall', 'F1', 'support'], rows),
    '',
    '  confusion matrix (rows: true class, columns: predicted)',
    table(['', ...labels], ev.confusion.matrix.map((r, a) => [labels[a]!, ...r.map(String)])),
  ];
}

function inferenceJson(inf: Inference | { error: string; reason: string }) {
  if ('error' in inf) return inf;
  return {
    names: inf.names, coef: inf.coef, std_err: inf.stdErr, z: inf.z, p_value: inf.pValue, ci_low: inf.ciLow, ci_high: inf.ciHigh,
    log_likelihood: inf.logLikelihood, null_log_likelihood: inf.nullLogLikelihood, pseudo_r2: inf.pseudoR2, aic: inf.aic, bic: inf.bic,
    lr_statistic: inf.lrStatistic, lr_df: inf.lrDf, lr_p_value: inf.lrPValue, penalized: inf.penalized, warnings: inf.warnings,
  };
}

/** The summary table, as statsmodels prints it: coefficient, std err, z, P>|z|, 95% interval. */
function inferenceLines(inf: Inference | { error: string; reason: string }): string[] {
  if ('error' in inf) return [`  inference not available: ${inf.error}`];
  const rows = inf.names.map((name, c) => [
    name, fmt(inf.coef[c]!, 6), fmt(inf.stdErr[c]!, 5), fmt(inf.z[c]!, 4), inf.pValue[c]! < 1e-4 ? inf.pValue[c]!.toExponential(2) : inf.pValue[c]!.toFixed(4),
    fmt(inf.ciLow[c]!, 5), fmt(inf.ciHigh[c]!, 5),
  ]);
  return [
    table(['', 'coef', 'std err', 'z', 'P>|z|', '[0.025', '0.975]'], rows),
    '',
    `  log-likelihood ${fmt(inf.logLikelihood, 8)}   null ${fmt(inf.nullLogLikelihood, 8)}   pseudo R² (McFadden) ${fmt(inf.pseudoR2, 4)}`,
    `  AIC ${fmt(inf.aic, 8)}   BIC ${fmt(inf.bic, 8)}   LR test vs intercept only: χ²(${inf.lrDf}) = ${fmt(inf.lrStatistic, 6)}, p = ${inf.lrPValue.toExponential(3)}`,
    ...inf.warnings.map((w) => `  warning: ${w}`),
  ];
}
