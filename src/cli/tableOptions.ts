import type { Argv } from 'yargs';
import type { CsvOptions } from '../data/csvReader.js';
import { DEFAULT_NA_VALUES } from '../data/csvReader.js';
import { type DesignSpec, MISSING_POLICIES, type MissingPolicy } from '../design/modelFrame.js';
import { parseChoice, single } from './args.js';
import { CliError } from './errors.js';

/**
 * The options every command shares for reading a table (--delimiter, --decimal, --na-values) and,
 * for train, for choosing the model's columns (--formula, --features, --exclude, --missing,
 * --weight-column): their yargs definitions and their parsing into the reader's and the design's
 * options.
 */

/** Adds the table-reading options to a command. */
export function readingOptions(y: Argv): Argv {
  return y
    .option('delimiter', { type: 'string', describe: 'CSV delimiter: , ; or tab (\\t); default: detected from the header' })
    .option('decimal', { type: 'string', describe: 'decimal mark of numbers: . (default) or , (with ; as delimiter, as European exports write them)' })
    .option('na-values', { type: 'string', describe: `cells that mean "missing", comma-separated (default: ${DEFAULT_NA_VALUES.join(',')}); empty and blank cells always are` });
}

/** Adds the column-choosing options of train. */
export function designOptions(y: Argv): Argv {
  return y
    .option('formula', { type: 'string', describe: "R-style model formula, e.g. 'low ~ age + race * smoke + C(ftv)' (~ + - : * . C() 0 -1, `backquoted names`)" })
    .option('features', { type: 'string', describe: 'use exactly these columns as features (comma-separated), instead of every other column' })
    .option('exclude', { type: 'string', describe: 'leave these columns out (comma-separated), e.g. an ID column' })
    .option('missing', { type: 'string', describe: 'missing values: refuse (default: an error naming the line), drop (leave such rows out), mean (impute: numeric mean, categorical level "missing")' })
    .option('weight-column', { type: 'string', describe: 'column of per-row sample weights (≥ 0)' });
}

/** A comma-separated list option ("a,b,c"), names trimmed; an empty name is an error. */
export function listOption(option: string, raw: unknown): string[] | undefined {
  const text = single(option, raw);
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim());
  if (names.some((s) => s === '')) throw new CliError(`--${option} must be a comma-separated list of column names, got ${text === '' ? '(empty)' : text}`);
  return names;
}

/** The reader's options from --delimiter, --decimal and --na-values. */
export function csvOptions(argv: Record<string, unknown>): CsvOptions {
  const delimiter = single('delimiter', argv.delimiter);
  const decimalRaw = single('decimal', argv.decimal);
  const decimal = decimalRaw === undefined ? undefined : parseChoice('decimal', decimalRaw, ['.', ','] as const);
  const naRaw = single('na-values', argv['na-values']);
  const naValues = naRaw === undefined ? undefined : naRaw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(decimal === undefined ? {} : { decimal }),
    ...(naValues === undefined ? {} : { naValues }),
  };
}

/** The design spec from train's options (the target filled in later, when the header is known). */
export function designSpec(argv: Record<string, unknown>): DesignSpec & { missing: MissingPolicy } {
  const formula = single('formula', argv.formula);
  const features = listOption('features', argv.features);
  const exclude = listOption('exclude', argv.exclude);
  if (formula !== undefined && features !== undefined) throw new CliError('--formula and --features both choose the columns; give one of them');
  const missingRaw = single('missing', argv.missing);
  const missing = missingRaw === undefined ? 'refuse' : parseChoice('missing', missingRaw, MISSING_POLICIES);
  const weightColumn = single('weight-column', argv['weight-column']);
  if (formula !== undefined && formula.trim() === '') throw new CliError('--formula is empty');
  return {
    formula: formula ?? null, features: features ?? null, exclude: exclude ?? null, missing, weightColumn: weightColumn ?? null,
  };
}
