import type { Argv } from 'yargs';
import { type ClassWeight, type FitFunctionOptions, type Penalty, PENALTIES } from '../index.js';
import { parseFormula } from '../design/formula.js';
import { columnsNeeded } from '../design/modelFrame.js';
import type { Table } from '../data/table.js';
import { parseChoice, parseNumber, single } from './args.js';
import { loadTable } from './dataArg.js';
import { CliError } from './errors.js';
import { csvOptions, designOptions, designSpec, listOption, readingOptions } from './tableOptions.js';

/**
 * What the commands that fit many models (path, cv) share with train: the data set, its columns,
 * and the model options, declared once and parsed into the API's options.
 */

/** The data, column and model options of path and cv (their own options are added by each). */
export function fitOptions(y: Argv, defaultPenalty: Penalty): Argv {
  return designOptions(readingOptions(
    y
      .positional('dataset', { type: 'string', describe: 'the same as --data (give one of them)' })
      .option('data', { type: 'string', describe: 'bundled data set name (see `logreg datasets`), path to a CSV file, or - for standard input' })
      .option('target', { type: 'string', describe: 'label column (default: the formula\'s response, the bundled set\'s target, else the last column)' })
      .option('model', { type: 'string', default: 'auto', describe: 'auto | binary | softmax' })
      .option('penalty', { type: 'string', default: defaultPenalty, describe: 'l1 | elasticnet | l2' })
      .option('l1-ratio', { type: 'string', describe: 'a in [0, 1] for --penalty elasticnet (1: lasso, 0: ridge)' })
      .option('standardize', { type: 'boolean', default: false, describe: 'z-score numeric columns with the training mean and population std' })
      .option('intercept', { type: 'boolean', default: true, describe: 'fit an intercept (--no-intercept: none)' })
      .option('class-weight', { type: 'string', describe: "balanced, or weights by class: 'benign=1,malignant=3'" })
      .option('max-iter', { type: 'string', describe: 'iteration limit of each fit (default 1000)' })
      .option('tol', { type: 'string', describe: 'each fit stops when its optimality conditions hold to tol (default 1e-8)' })
      .option('threads', { type: 'string', describe: 'threads for the passes over the data (cv: for its folds too): auto (default) or a number' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' }),
  ));
}

/** --Cs and --C-grid (one of them). */
export function gridOptions(y: Argv): Argv {
  return y
    .option('Cs', { type: 'string', describe: 'number of C values (default 100): from the all-zero model up 1e4-fold with an L1 part, 1e-4 to 1e4 for L2' })
    .option('C-grid', { type: 'string', describe: 'the C values themselves, comma-separated' });
}

/** The grid options as the API takes them. */
export function parseGrid(argv: Record<string, unknown>): { Cs?: number; CGrid?: number[] } {
  const count = single('Cs', argv.Cs);
  const list = single('C-grid', argv['C-grid']);
  if (count !== undefined && list !== undefined) throw new CliError('--Cs and --C-grid both set the grid; give one of them');
  if (list !== undefined) {
    const values = list.split(',').map((s) => s.trim());
    if (values.length === 0 || values.some((v) => v === '')) throw new CliError(`--C-grid must be comma-separated positive numbers, got ${list === '' ? '(empty)' : list}`);
    return { CGrid: values.map((v) => parseNumber('C-grid', v, 'positive')) };
  }
  return count === undefined ? {} : { Cs: parseNumber('Cs', count, 'positive-integer') };
}

/** A boolean flag given a value (--standardize=maybe): refused, as train does. */
export function flag(option: string, raw: unknown): boolean {
  if (typeof raw === 'boolean' || raw === undefined) return raw === true;
  if (Array.isArray(raw)) throw new CliError(`--${option} was given ${raw.length} times; give it once`);
  throw new CliError(`--${option} takes no value (or true / false), got ${String(raw)}`);
}

/** --class-weight: 'balanced', or 'label=weight,…'. */
export function parseClassWeight(raw: string | undefined): ClassWeight | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'balanced') return 'balanced';
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const eq = part.lastIndexOf('=');
    const label = part.slice(0, eq).trim();
    const w = Number(part.slice(eq + 1).trim());
    if (eq <= 0 || label === '' || part.slice(eq + 1).trim() === '' || !Number.isFinite(w) || w < 0) {
      throw new CliError(`--class-weight must be balanced or class=weight pairs such as 'benign=1,malignant=3' (weights ≥ 0), got ${raw}`);
    }
    if (label in out) throw new CliError(`--class-weight names the class ${label} twice`);
    out[label] = w;
  }
  return out;
}

/** The checked model options (every value refused with its flag's name before any file is read). */
export function parseModelArgs(argv: Record<string, unknown>, penaltyChoices: readonly Penalty[] = PENALTIES.filter((p) => p !== 'none')): FitFunctionOptions {
  const model = parseChoice('model', single('model', argv.model), ['auto', 'binary', 'softmax'] as const);
  const penalty = parseChoice('penalty', single('penalty', argv.penalty), penaltyChoices);
  const l1Raw = single('l1-ratio', argv['l1-ratio']);
  const l1Ratio = l1Raw === undefined ? undefined : parseNumber('l1-ratio', l1Raw, 'unit');
  if (l1Ratio !== undefined && penalty !== 'elasticnet') throw new CliError(`--l1-ratio applies to --penalty elasticnet, not ${penalty}`);
  const maxRaw = single('max-iter', argv['max-iter']);
  const tolRaw = single('tol', argv.tol);
  const threadsRaw = single('threads', argv.threads);
  const classWeight = parseClassWeight(single('class-weight', argv['class-weight']));
  return {
    model, penalty,
    ...(l1Ratio === undefined ? {} : { l1Ratio }),
    standardize: flag('standardize', argv.standardize),
    fitIntercept: argv.intercept !== false,
    ...(maxRaw === undefined ? {} : { maxIter: parseNumber('max-iter', maxRaw, 'positive-integer') }),
    ...(tolRaw === undefined ? {} : { tol: parseNumber('tol', tolRaw, 'positive') }),
    ...(threadsRaw === undefined || threadsRaw === 'auto' ? {} : { threads: parseNumber('threads', threadsRaw, 'positive-integer') }),
    ...(classWeight === undefined ? {} : { classWeight }),
  };
}

/** The data set of a command: the table (only the columns the model reads) and the fit's column options. */
export interface LoadedData {
  /** How the report names the data (the bundled name or the path). */
  name: string;
  /** The file read ('-' for standard input). */
  path: string;
  table: Table;
  target: string;
  targetDefaulted: boolean;
  /** The fit options that choose the columns (target or formula, features, exclude, missing, weights). */
  columns: FitFunctionOptions;
}

/** Reads --data with the reading options, choosing the target as train does. */
export function loadData(argv: Record<string, unknown>, command: string): LoadedData {
  const dataOption = single('data', argv.data);
  const dataPositional = single('data', argv.dataset);
  if (dataOption !== undefined && dataPositional !== undefined) {
    throw new CliError(`the data set was given twice (${dataPositional} and --data ${dataOption}); give one of them`);
  }
  const data = dataOption ?? dataPositional;
  if (data === undefined) throw new CliError(`${command} needs a data set: logreg ${command} --data <name or file.csv> (see logreg datasets)`);
  const spec = designSpec(argv);
  const formulaResponse = spec.formula ? parseFormula(spec.formula).response : null;
  let target = single('target', argv.target) ?? formulaResponse ?? undefined;
  let defaulted = false;
  const loaded = loadTable(data, {
    ...csvOptions(argv),
    select: (names) => {
      if (target === undefined) {
        target = names[names.length - 1]!;
        defaulted = true;
      }
      const absent = (spec.exclude ?? []).find((n) => !names.includes(n));
      if (absent !== undefined) throw new CliError(`--exclude: ${data} has no column ${JSON.stringify(absent)} (columns: ${names.join(', ')})`);
      return columnsNeeded({ ...spec, target }, names);
    },
  });
  if (defaulted && loaded.bundledTarget !== null) {
    target = loaded.bundledTarget;
    defaulted = false;
  }
  const table = loaded.table;
  if (!table.columns.some((c) => c.name === target)) throw new CliError(`${table.source}: has no target column ${JSON.stringify(target)}`);
  const exclude = spec.exclude ? spec.exclude.filter((n) => table.columns.some((c) => c.name === n)) : null;
  const features = listOption('features', argv.features);
  return {
    name: loaded.bundled ?? loaded.path,
    path: loaded.path,
    table,
    target: target!,
    targetDefaulted: defaulted,
    columns: {
      target: target!,
      ...(spec.formula ? { formula: spec.formula } : {}),
      ...(features ? { features } : {}),
      ...(exclude && exclude.length > 0 ? { exclude } : {}),
      missing: spec.missing,
      ...(spec.weightColumn ? { weightColumn: spec.weightColumn } : {}),
    },
  };
}
