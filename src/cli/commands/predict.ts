import type { Argv } from 'yargs';
import { numericOptions, parseChoice, parseNumber, single } from '../args.js';
import { loadTableAsync } from '../dataArg.js';
import { engineOptions } from '../engineRoutes.js';
import { CliError } from '../errors.js';
import { checkOutputPath, writeOutput } from '../files.js';
import { readModelFile } from '../modelFile.js';
import { csvOptions, listOption, readingOptions } from '../tableOptions.js';
import type { Column } from '../../data/table.js';

export const predictCommand = {
  command: 'predict',
  describe: 'predict classes and probabilities for the rows of a CSV or Parquet file (or a --sql query) with a saved model',
  builder: (y: Argv) =>
    numericOptions(readingOptions(engineOptions(
      y
        .option('model', { type: 'string', demandOption: true, describe: 'model JSON written by `logreg train --out`' })
        .option('data', { type: 'string', describe: 'CSV or Parquet file (or bundled name, or - for standard input); columns matched to the model\'s by name (or --sql)' })
        .option('keep', { type: 'string', describe: 'copy these columns (comma-separated, e.g. an ID) into the output, first' })
        .option('id-column', { type: 'string', describe: 'the same as --keep with one column' })
        .option('proba-only', { type: 'boolean', default: false, describe: 'only the probability columns' })
        .option('labels-only', { type: 'boolean', default: false, describe: 'only the predicted class' })
        .option('intervals', { type: 'boolean', default: false, describe: 'binary: add p_low,p_high, an interval for the positive class\'s probability (delta method on the linear predictor; the model must come from train --summary)' })
        .option('conf-level', { type: 'string', describe: '--intervals: their level, between 0 and 1 (default 0.95)' })
        .option('unknown-level', { type: 'string', describe: 'a level the model never saw: error (default) or zero (all-zero indicators, as scikit-learn\'s handle_unknown=ignore)' })
        .option('out', { type: 'string', describe: 'write the predictions CSV here (atomically) instead of stdout' }),
      false,
    )), ['conf-level']),
  handler: (argv: Record<string, unknown>) => predictCli(argv),
};

/** A CSV field, quoted when it holds a delimiter, quote or line break (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n;\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The text of a kept column's cell (empty when missing). */
function cellText(c: Column, i: number): string {
  if (c.kind === 'numeric') return Number.isNaN(c.values[i]!) ? '' : String(c.values[i]);
  return c.codes[i]! < 0 ? '' : c.levels[c.codes[i]!]!;
}

async function predictCli(argv: Record<string, unknown>): Promise<void> {
  const sql = single('sql', argv.sql);
  if (argv.data === undefined && sql === undefined) throw new CliError('Missing required argument: data (or --sql)');
  if (argv.data !== undefined && sql !== undefined) throw new CliError('--sql and --data both give the rows; give one of them');
  const data = single('data', argv.data) ?? '';
  const outRaw = single('out', argv.out);
  const out = outRaw === undefined ? null : checkOutputPath(outRaw, '--out', [data]);
  const probaOnly = argv['proba-only'] === true;
  const labelsOnly = argv['labels-only'] === true;
  if (probaOnly && labelsOnly) throw new CliError('--proba-only and --labels-only exclude each other; give one of them');
  const keepList = listOption('keep', argv.keep);
  const idColumn = single('id-column', argv['id-column']);
  const keep = [...(idColumn === undefined ? [] : [idColumn]), ...(keepList ?? [])];
  const unknownRaw = single('unknown-level', argv['unknown-level']);
  const unknownLevel = unknownRaw === undefined ? 'error' : parseChoice('unknown-level', unknownRaw, ['error', 'zero'] as const);
  const intervals = argv.intervals === true;
  const levelRaw = single('conf-level', argv['conf-level']);
  if (levelRaw !== undefined && !intervals) throw new CliError('--conf-level applies to --intervals');
  const confLevel = levelRaw === undefined ? 0.95 : parseNumber('conf-level', levelRaw, 'fraction');
  if (intervals && labelsOnly) throw new CliError('--intervals and --labels-only exclude each other (the intervals are for probabilities)');
  const modelPath = single('model', argv.model) ?? '';
  const model = readModelFile(modelPath);
  if (intervals && model.kind !== 'binary') {
    throw new CliError(`--intervals: ${modelPath} is a softmax model; intervals are for the probability of a binary model's positive class`);
  }
  if (intervals && model.covariance === null) {
    throw new CliError(`--intervals: ${modelPath} carries no covariance; train it with --summary (and --out) to store the one intervals need`);
  }
  const needed = model.inputColumns;
  const loaded = await loadTableAsync(sql === undefined ? data : undefined, {
    ...csvOptions(argv),
    select: (names) => {
      for (const k of keep) if (!names.includes(k)) throw new CliError(`--keep: ${data} has no column ${JSON.stringify(k)}`);
      // A column the model needs but the file lacks is reported by the design, naming it.
      return [...new Set([...keep, ...needed.map((c) => c.name)])].filter((n) => names.includes(n));
    },
    categorical: needed.filter((c) => c.kind === 'categorical').map((c) => c.name),
  }, sql);
  const table = loaded.table;
  const { probabilities: P, rows } = model.predictTable(table, { unknownLevel });
  const bounds = intervals ? model.predictIntervals(table, { unknownLevel, confLevel }) : null;
  const classes = model.classes;
  const C = classes.length;
  const kept = keep.map((k) => table.columns.find((c) => c.name === k)!);
  const header = [
    ...keep,
    ...(probaOnly ? [] : ['prediction']),
    ...(labelsOnly ? [] : classes.map((c) => `p_${String(c)}`)),
    ...(bounds === null ? [] : ['p_low', 'p_high']),
  ];
  const lines = [header.map(csvField).join(',')];
  // Rows left out for missing values keep their place, with empty predictions.
  let r = 0;
  for (let i = 0; i < table.n; i++) {
    const cells = kept.map((c) => csvField(cellText(c, i)));
    if (r < rows.length && rows[r] === i) {
      let best = 0;
      for (let k = 1; k < C; k++) if (P[r * C + k]! > P[r * C + best]!) best = k;
      if (!probaOnly) cells.push(csvField(String(classes[best])));
      if (!labelsOnly) for (let k = 0; k < C; k++) cells.push(String(P[r * C + k]));
      if (bounds !== null) cells.push(String(bounds.low[r]), String(bounds.high[r]));
      r++;
    } else {
      if (!probaOnly) cells.push('');
      if (!labelsOnly) for (let k = 0; k < C; k++) cells.push('');
      if (bounds !== null) cells.push('', '');
    }
    lines.push(cells.join(','));
  }
  const text = `${lines.join('\n')}\n`;
  if (out === null) process.stdout.write(text);
  else writeOutput(out, text, '--out');
}
