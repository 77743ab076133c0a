import { join } from 'node:path';
import type { Argv } from 'yargs';
import { type ChartSpec, type RegularizationPath, pathChart, regularizationPath } from '../../index.js';
import { numericOptions, single } from '../args.js';
import { CliError } from '../errors.js';
import { checkOutputFolder } from '../files.js';
import { type LoadedData, fitOptions, flag, gridOptions, loadData, parseGrid, parseModelArgs } from '../fitArgs.js';
import { fmt, rowsOf, table } from '../report.js';

export const pathCommand = {
  command: 'path [dataset]',
  describe: 'fit along a grid of C (a regularization path, warm-started) and report the coefficients at each C',
  builder: (y: Argv) =>
    numericOptions(
      gridOptions(fitOptions(y, 'l1')).option('plots', { type: 'string', describe: 'write the coefficient path (and the non-zero count) as SVG into this folder' }),
      ['Cs', 'l1-ratio', 'max-iter', 'tol'],
    ),
  handler: async (argv: Record<string, unknown>) => path(argv),
};

async function path(argv: Record<string, unknown>): Promise<void> {
  const options = parseModelArgs(argv);
  if (options.penalty === 'elasticnet' && options.l1Ratio === undefined) throw new CliError('--penalty elasticnet needs --l1-ratio a (0 ≤ a ≤ 1)');
  const grid = parseGrid(argv);
  const json = flag('json', argv.json);
  flag('quiet', argv.quiet);
  const plotsRaw = single('plots', argv.plots);
  const plots = plotsRaw === undefined ? null : checkOutputFolder(plotsRaw, '--plots');
  const data = loadData(argv, 'path');
  let result: RegularizationPath;
  try {
    result = regularizationPath(data.table, { ...data.columns, ...options, ...grid });
  } catch (e) {
    throw asCliError(e);
  }
  if (plots !== null) await writePathPlots(result, plots, data);
  if (json) {
    process.stdout.write(`${JSON.stringify(pathJson(result, data))}\n`);
    return;
  }
  process.stdout.write(`${pathReport(result, data, plots).join('\n')}\n`);
}

/** An API error about an option, in the CLI's words. */
export function asCliError(e: unknown): unknown {
  if (!(e instanceof RangeError || e instanceof TypeError)) return e;
  const m = e.message
    .replace(/^l1Ratio/, '--l1-ratio').replace(/penalty 'elasticnet' needs l1Ratio/, '--penalty elasticnet needs --l1-ratio')
    .replace(/^every grid value/, 'every --C-grid value').replace(/^the grid is empty/, '--C-grid is empty');
  return new CliError(m);
}

/** The JSON form: the grid's ends and every step. */
export function pathJson(r: RegularizationPath, data: LoadedData) {
  const names = r.featureNames;
  const classes = r.model.kind === 'binary' ? [r.classes[1]!] : r.classes;
  return {
    data: data.name,
    target: data.target,
    model: r.model.kind,
    classes: r.classes,
    penalty: r.model.options.penalty,
    l1_ratio: r.model.options.l1Ratio,
    lambda_max: r.lambdaMax,
    C_zero: r.CZero,
    n_samples: r.weightSum,
    passes: r.passes,
    hessians: r.hessians,
    seconds: r.seconds,
    path: r.steps.map((s) => ({
      C: s.C, lambda: s.lambda, objective: s.objective, nonzero: s.nonzero, iterations: s.iterations, converged: s.converged,
      coefficients: Object.fromEntries(classes.map((c, k) => [String(c), {
        ...(r.model.fitIntercept ? { intercept: s.intercept[k]! } : {}),
        ...Object.fromEntries(names.map((n, j) => [n, s.coef[k]![j]!])),
      }])),
    })),
  };
}

function pathReport(r: RegularizationPath, data: LoadedData, plots: string | null): string[] {
  const o = r.model.options;
  const lines = [
    `logreg path: ${data.name}`,
    `  target      ${data.target}`,
    `  model       ${r.model.kind === 'binary' ? 'binary logistic' : 'softmax'} regression, ${o.penalty}${o.penalty === 'elasticnet' ? ` (l1 ratio ${fmt(o.l1Ratio)})` : ''}${o.standardize ? ', standardized numeric columns' : ''}`,
    `  grid        ${r.steps.length} values of C from ${fmt(r.steps[0]!.C, 4)} to ${fmt(r.steps[r.steps.length - 1]!.C, 4)}${r.CZero === null ? '' : ` (all coefficients are zero for C ≤ ${fmt(r.CZero, 4)}, λ_max = ${fmt(r.lambdaMax!, 4)})`}`,
    `  work        ${r.passes} passes over the data, ${r.hessians} Hessians, ${fmt(r.seconds, 3)} s`,
  ];
  const unconverged = r.steps.filter((s) => !s.converged).length;
  if (unconverged > 0) lines.push(`  warning: ${unconverged} of the fits stopped before the tolerance; raise --max-iter`);
  lines.push('', table(['C', 'lambda', 'objective', 'non-zero', 'iterations'], rowsOf([
    r.steps.map((s) => s.C.toPrecision(4)), r.steps.map((s) => s.lambda.toPrecision(4)), r.steps.map((s) => s.objective.toFixed(10)),
    r.steps.map((s) => String(s.nonzero)), r.steps.map((s) => String(s.iterations)),
  ])));
  if (plots !== null) lines.push('', `  pictures written to ${plots}: path.svg`);
  return lines;
}

/** The coefficient path and the non-zero count, as path.svg. */
async function writePathPlots(r: RegularizationPath, folder: string, data: LoadedData): Promise<void> {
  const { writeSvgs } = await import('../../plot/render.js');
  const K = r.steps[0]!.coef.length;
  const classes = r.model.kind === 'binary' ? [] : r.classes.map(String);
  const names = K === 1 ? r.featureNames : classes.flatMap((c) => r.featureNames.map((n) => `${c}: ${n}`));
  const coef = r.steps.map((s) => s.coef.flat());
  const spec: ChartSpec = pathChart(r.steps.map((s) => s.C), coef, names, r.steps.map((s) => s.nonzero),
    `${data.name}: ${r.model.options.penalty} path of ${data.target}`);
  await writeSvgs([[spec, join(folder, 'path.svg')]]);
}
