import { join } from 'node:path';
import type { Argv } from 'yargs';
import { type CrossValidation, SCORINGS, type Scoring, crossValidate, cvChart } from '../../index.js';
import { numericOptions, parseChoice, parseNumber, single } from '../args.js';
import { CliError } from '../errors.js';
import { checkOutputFolder, checkOutputPath, writeOutput } from '../files.js';
import { type LoadedData, fitOptions, flag, gridOptions, loadData, parseGrid, parseModelArgs } from '../fitArgs.js';
import { fmt, formatColumn, rowsOf, table } from '../report.js';
import { asCliError } from './path.js';

export const cvCommand = {
  command: 'cv [dataset]',
  describe: 'choose C by stratified k-fold cross-validation (the whole path per fold), then refit on all rows',
  builder: (y: Argv) =>
    numericOptions(
      gridOptions(fitOptions(y, 'l2'))
        .option('folds', { type: 'string', default: 10, describe: 'number of folds (stratified by class)' })
        .option('l1-ratios', { type: 'string', describe: 'elastic-net mixing values to try, comma-separated (--penalty elasticnet)' })
        .option('scoring', { type: 'string', default: 'log_loss', describe: `held-out score: ${SCORINGS.join(' | ')}` })
        .option('seed', { type: 'string', default: 0, describe: 'seed of the folds\' shuffle' })
        .option('select', { type: 'string', default: 'min', describe: 'min (best mean score) | 1se (the smallest C within one standard error of it)' })
        .option('out', { type: 'string', describe: 'write the model refitted at the chosen C to this JSON file (atomically)' })
        .option('plots', { type: 'string', describe: 'write the cross-validation curve (cv.svg) into this folder' }),
      ['Cs', 'l1-ratio', 'max-iter', 'tol', 'folds', 'seed'],
    ),
  handler: async (argv: Record<string, unknown>) => cv(argv),
};

async function cv(argv: Record<string, unknown>): Promise<void> {
  const options = parseModelArgs(argv);
  const grid = parseGrid(argv);
  const folds = parseNumber('folds', single('folds', argv.folds), 'positive-integer');
  if (folds < 2) throw new CliError(`--folds must be at least 2, got ${folds}`);
  const seed = parseNumber('seed', single('seed', argv.seed), 'integer');
  const scoring = parseChoice<Scoring>('scoring', single('scoring', argv.scoring), SCORINGS);
  const select = parseChoice('select', single('select', argv.select), ['min', '1se'] as const);
  const ratiosRaw = single('l1-ratios', argv['l1-ratios']);
  let l1Ratios: number[] | undefined;
  if (ratiosRaw !== undefined) {
    if (options.penalty !== 'elasticnet') throw new CliError(`--l1-ratios applies to --penalty elasticnet, not ${options.penalty}`);
    if (options.l1Ratio !== undefined) throw new CliError('--l1-ratio and --l1-ratios both set the mixing; give one of them');
    const parts = ratiosRaw.split(',').map((s) => s.trim());
    if (parts.some((s) => s === '')) throw new CliError(`--l1-ratios must be comma-separated numbers in [0, 1], got ${ratiosRaw === '' ? '(empty)' : ratiosRaw}`);
    l1Ratios = parts.map((s) => parseNumber('l1-ratios', s, 'unit'));
  }
  if (options.penalty === 'elasticnet' && options.l1Ratio === undefined && l1Ratios === undefined) {
    throw new CliError('--penalty elasticnet needs --l1-ratio a or --l1-ratios a,b,… (0 ≤ a ≤ 1)');
  }
  const json = flag('json', argv.json);
  flag('quiet', argv.quiet);
  const dataArg = single('data', argv.data) ?? single('data', argv.dataset) ?? '';
  const outRaw = single('out', argv.out);
  const out = outRaw === undefined ? null : checkOutputPath(outRaw, '--out', [dataArg]);
  const plotsRaw = single('plots', argv.plots);
  const plots = plotsRaw === undefined ? null : checkOutputFolder(plotsRaw, '--plots');
  const data = loadData(argv, 'cv');
  let result: CrossValidation;
  try {
    result = crossValidate(data.table, {
      ...data.columns, ...options, ...grid, folds, seed, scoring, select,
      ...(l1Ratios === undefined ? {} : { l1Ratios }),
    });
  } catch (e) {
    throw asCliError(e);
  }
  if (out !== null) writeOutput(out, `${JSON.stringify(result.model!.toJSON(), null, 1)}\n`, '--out');
  if (plots !== null) await writeCvPlot(result, plots, data);
  if (json) {
    process.stdout.write(`${JSON.stringify(cvJson(result, data, out?.given ?? null))}\n`);
    return;
  }
  process.stdout.write(`${cvReport(result, data, out?.given ?? null, plots).join('\n')}\n`);
}

const SCORE_TITLES: Record<Scoring, string> = { log_loss: 'held-out log loss', accuracy: 'held-out accuracy', roc_auc: 'held-out ROC AUC' };

function cvJson(r: CrossValidation, data: LoadedData, out: string | null) {
  const curve = (c: CrossValidation['best']) => c.points.map((q) => ({ C: q.C, lambda: q.lambda, mean: q.mean, std_err: q.stdErr, nonzero: q.nonzero }));
  return {
    data: data.name,
    target: data.target,
    model: r.model?.kind ?? null,
    scoring: r.scoring,
    folds: r.folds,
    penalty: r.model?.options.penalty ?? null,
    l1_ratio: r.best.l1Ratio,
    path: curve(r.best),
    ...(r.curves.length > 1 ? { curves: r.curves.map((c) => ({ l1_ratio: c.l1Ratio, path: curve(c) })) } : {}),
    C_min: r.CMin,
    C_1se: r.C1se,
    selected: { rule: r.selected.rule, C: r.selected.C, lambda: r.selected.lambda, l1_ratio: r.selected.l1Ratio, mean: r.selected.mean, std_err: r.selected.stdErr },
    seconds: r.seconds,
    ...(out === null ? {} : { out }),
  };
}

function cvReport(r: CrossValidation, data: LoadedData, out: string | null, plots: string | null): string[] {
  const o = r.model!.options;
  const b = r.best;
  const lines = [
    `logreg cv: ${data.name}`,
    `  target      ${data.target}`,
    `  model       ${r.model!.kind === 'binary' ? 'binary logistic' : 'softmax'} regression, ${o.penalty}${o.standardize ? ', standardized numeric columns' : ''}`,
    `  folds       ${r.folds} (stratified), scoring ${r.scoring}, ${b.points.length} values of C${r.curves.length > 1 ? ` for each of ${r.curves.length} l1 ratios (best: ${fmt(b.l1Ratio)})` : ''}`,
    `  C_min       ${b.points[b.indexMin]!.C.toPrecision(4)}   mean ${fmt(b.points[b.indexMin]!.mean)} ± ${fmt(b.points[b.indexMin]!.stdErr, 4)}`,
    `  C_1se       ${b.points[b.index1se]!.C.toPrecision(4)}   mean ${fmt(b.points[b.index1se]!.mean)} ± ${fmt(b.points[b.index1se]!.stdErr, 4)}`,
    `  selected    C = ${r.selected.C.toPrecision(4)} (--select ${r.selected.rule}); refitted on all rows${o.l1Ratio > 0 ? `, ${r.model!.coef.flat().filter((v) => v !== 0).length} non-zero coefficients` : ''}`,
    `  time        ${fmt(r.seconds, 3)} s`,
    '',
  ];
  // The curve around the choice: every point when short, else every k-th and the chosen ones.
  const keep = b.points.map((_, t) => t).filter((t) => b.points.length <= 25 || t % Math.ceil(b.points.length / 20) === 0 || t === b.indexMin || t === b.index1se);
  const mark = (t: number) => (t === b.indexMin && t === b.index1se ? 'min, 1se' : t === b.indexMin ? 'min' : t === b.index1se ? '1se' : '');
  lines.push(table(['C', 'mean', 'std err', 'non-zero', ''], rowsOf([
    keep.map((t) => b.points[t]!.C.toPrecision(4)), formatColumn(keep.map((t) => b.points[t]!.mean), 6), keep.map((t) => b.points[t]!.stdErr.toPrecision(4)),
    keep.map((t) => String(b.points[t]!.nonzero)), keep.map(mark),
  ])));
  if (out !== null) lines.push('', `  model written to ${out}`);
  if (plots !== null) lines.push(`  pictures written to ${plots}: cv.svg`);
  return lines;
}

async function writeCvPlot(r: CrossValidation, folder: string, data: LoadedData): Promise<void> {
  const { writeSvgs } = await import('../../plot/render.js');
  const spec = cvChart(r.best.points, r.CMin, r.C1se, SCORE_TITLES[r.scoring], `${data.name}: ${r.folds}-fold cross-validation of C`);
  await writeSvgs([[spec, join(folder, 'cv.svg')]]);
}
