import type { Argv } from 'yargs';
import { COV_TYPES, type CovType, MARGEFF_AT, type MargeffMethod, type SummaryOptions } from '../model/inference/options.js';
import { parseChoice, parseNumber, single } from './args.js';
import { CliError } from './errors.js';

/**
 * The options of `train --summary` (covariance type, clusters, odds ratios, marginal effects, Wald
 * tests, confidence level, reference class, scale, what the weights are) and --positive-class:
 * their yargs definitions and their parsing into `summary()`'s options, before any file is read.
 */

/** Adds the summary options (and --positive-class) to train. */
export function summaryOptions(y: Argv): Argv {
  return y
    .option('cov-type', { type: 'string', describe: `--summary standard errors: ${COV_TYPES.join(' | ')} (default nonrobust; hc0 with --weights-are analytic)` })
    .option('cluster-column', { type: 'string', describe: '--cov-type cluster: the column of cluster ids' })
    .option('odds-ratios', { type: 'boolean', describe: '--summary: odds ratios (binary) or relative-risk ratios (softmax), with intervals' })
    .option('margeff', { type: 'string', describe: `--summary: marginal effects dy/dx with delta-method errors, ${MARGEFF_AT.join(' | ')} (as statsmodels get_margeff)` })
    .option('margeff-eyex', { type: 'boolean', describe: '--margeff: elasticities ey/ex instead of dy/dx' })
    .option('margeff-dyex', { type: 'boolean', describe: '--margeff: dy/ex instead of dy/dx' })
    .option('margeff-eydx', { type: 'boolean', describe: '--margeff: ey/dx instead of dy/dx' })
    .option('margeff-dummy', { type: 'boolean', describe: '--margeff: discrete change for columns of 0/1 values (with overall or mean)' })
    .option('test', { type: 'string', describe: "--summary: a Wald test, e.g. 'x1 = x2' or 'x3 = 0, x4 = 0' (joint); repeat for more" })
    .option('conf-level', { type: 'string', describe: '--summary: level of the intervals, between 0 and 1 (default 0.95)' })
    .option('reference-class', { type: 'string', describe: '--summary, softmax: the class the others are compared with (default: the first)' })
    .option('scale', { type: 'string', describe: '--summary with --standardize: original (default; back-transformed) | standardized' })
    .option('weights-are', { type: 'string', describe: '--summary with weights: frequency (default) | analytic (probability weights; needs a robust --cov-type)' })
    .option('positive-class', { type: 'string', describe: 'binary: the label whose probability the model gives (default: the second in sorted order)' });
}

/** A boolean flag: true, false or absent; anything else (a value, a repeat) is refused. */
function flagOf(option: string, raw: unknown): boolean {
  if (typeof raw === 'boolean' || raw === undefined) return raw === true;
  if (Array.isArray(raw)) throw new CliError(`--${option} was given ${raw.length} times; give it once`);
  throw new CliError(`--${option} takes no value (or true / false), got ${String(raw)}`);
}

/** What train needs of these options. */
export interface SummaryPlan {
  options: SummaryOptions;
  /** --cluster-column: a column to read too, passed to summary as `groups`. */
  clusterColumn: string | null;
  positiveClass: string | null;
}

/** Parses and cross-checks the options; `summary` says whether --summary was given. */
export function parseSummaryOptions(argv: Record<string, unknown>, summary: boolean): SummaryPlan {
  const covRaw = single('cov-type', argv['cov-type']);
  const covType = covRaw === undefined ? undefined : parseChoice<CovType>('cov-type', covRaw, COV_TYPES);
  const clusterColumn = single('cluster-column', argv['cluster-column']) ?? null;
  if (clusterColumn !== null && clusterColumn.trim() === '') throw new CliError('--cluster-column needs a column name');
  if (covType === 'cluster' && clusterColumn === null) throw new CliError('--cov-type cluster needs --cluster-column <column of cluster ids>');
  if (clusterColumn !== null && covType !== 'cluster') throw new CliError('--cluster-column applies to --cov-type cluster');
  const oddsRatios = flagOf('odds-ratios', argv['odds-ratios']);
  const atRaw = single('margeff', argv.margeff);
  const at = atRaw === undefined ? undefined : parseChoice('margeff', atRaw, MARGEFF_AT);
  const methods = (['eyex', 'dyex', 'eydx'] as const).filter((m) => flagOf(`margeff-${m}`, argv[`margeff-${m}`]));
  if (methods.length > 1) throw new CliError(`--margeff-${methods[0]} and --margeff-${methods[1]} exclude each other; give one of them`);
  const dummy = flagOf('margeff-dummy', argv['margeff-dummy']);
  if (at === undefined && (methods.length > 0 || dummy)) throw new CliError(`--${methods.length > 0 ? `margeff-${methods[0]}` : 'margeff-dummy'} applies to --margeff`);
  const method: MargeffMethod = methods[0] ?? 'dydx';
  if (dummy && (method === 'eyex' || method === 'dyex')) throw new CliError(`--margeff-dummy takes dy/dx or --margeff-eydx, not --margeff-${method}`);
  if (dummy && (at === 'median' || at === 'zero')) throw new CliError(`--margeff-dummy takes --margeff overall or mean, not ${at}`);
  const testRaw = argv.test;
  const tests = testRaw === undefined ? [] : (Array.isArray(testRaw) ? testRaw : [testRaw]).map(String);
  tests.forEach((t) => {
    if (t.trim() === '') throw new CliError("--test is empty; write a hypothesis such as 'x1 = x2'");
  });
  const levelRaw = single('conf-level', argv['conf-level']);
  const confLevel = levelRaw === undefined ? undefined : parseNumber('conf-level', levelRaw, 'fraction');
  const referenceClass = single('reference-class', argv['reference-class']);
  const scaleRaw = single('scale', argv.scale);
  const scale = scaleRaw === undefined ? undefined : parseChoice('scale', scaleRaw, ['original', 'standardized'] as const);
  const weightsRaw = single('weights-are', argv['weights-are']);
  const weightsAre = weightsRaw === undefined ? undefined : parseChoice('weights-are', weightsRaw, ['frequency', 'analytic'] as const);
  if (weightsAre === 'analytic' && covType === 'nonrobust') {
    throw new CliError('--weights-are analytic needs a sandwich covariance: --cov-type hc0 (the default for analytic weights), hc1, hc2, hc3 or cluster, not nonrobust');
  }
  const given: Array<[string, boolean]> = [
    ['cov-type', covType !== undefined], ['odds-ratios', oddsRatios], ['margeff', at !== undefined], ['test', tests.length > 0],
    ['conf-level', confLevel !== undefined], ['reference-class', referenceClass !== undefined], ['scale', scale !== undefined],
    ['weights-are', weightsAre !== undefined],
  ];
  const stray = given.find(([, on]) => on);
  if (!summary && stray !== undefined) throw new CliError(`--${stray[0]} applies to --summary; add --summary`);
  const positiveClass = single('positive-class', argv['positive-class']) ?? null;
  if (positiveClass !== null && positiveClass === '') throw new CliError('--positive-class needs a class label');
  return {
    options: {
      ...(covType === undefined ? {} : { covType }),
      ...(clusterColumn === null ? {} : { groups: clusterColumn }),
      ...(oddsRatios ? { oddsRatios } : {}),
      ...(at === undefined ? {} : { margeff: { at, method, dummy } }),
      ...(tests.length === 0 ? {} : { tests }),
      ...(confLevel === undefined ? {} : { confLevel }),
      ...(referenceClass === undefined ? {} : { referenceClass }),
      ...(scale === undefined ? {} : { scale }),
      ...(weightsAre === undefined ? {} : { weightsAre }),
    },
    clusterColumn,
    positiveClass,
  };
}

/** API option names in the messages of summary() and the CLI flags they come from. */
const FLAG_OF: ReadonlyArray<[RegExp, string]> = [
  [/^test "/, '--test "'],
  [/^referenceClass /, '--reference-class '],
  [/^covType /, '--cov-type '],
  [/^weightsAre 'analytic' /, '--weights-are analytic '],
  [/^scale '(\w+)' /, '--scale $1 '],
  [/^groups /, '--cluster-column '],
];

/** An error of summary() as the command reports it: naming the flag (--test, --reference-class, …) instead of the API option. */
export function summaryError(e: unknown): unknown {
  if (!(e instanceof Error) || e.name === 'InferenceError') return e;
  for (const [pattern, flag] of FLAG_OF) if (pattern.test(e.message)) return new CliError(e.message.replace(pattern, flag));
  return e;
}
