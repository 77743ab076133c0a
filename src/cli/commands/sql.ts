import type { Argv } from 'yargs';
import { single } from '../args.js';
import { CliError } from '../errors.js';
import { checkOutputPath, writeOutput } from '../files.js';
import { readModelFile } from '../modelFile.js';
import { scoringSql, tableRelation } from '../../engine/sql.js';
import type { Label } from '../../util/labels.js';

/**
 * `logreg sql --model m.json --table t`: prints a SELECT that scores the rows of a table (or of a
 * query) with a saved model inside a SQL engine (DuckDB, PostgreSQL): every column of the table,
 * then the predicted class and one probability per class, as `logreg predict` computes them.
 */
export const sqlCommand = {
  command: 'sql',
  describe: 'print a SQL SELECT that scores the rows of a table with a saved model (DuckDB and PostgreSQL SQL)',
  builder: (y: Argv) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'model JSON written by `logreg train --out` (fitted on a table)' })
      .option('table', { type: 'string', describe: 'the table (or view) to score: schema.table or table' })
      .option('sql', { type: 'string', describe: 'or the query whose rows to score' })
      .option('out', { type: 'string', describe: 'write the SELECT to this file (atomically) instead of stdout' }),
  handler: (argv: Record<string, unknown>) => sqlCli(argv),
};

function sqlCli(argv: Record<string, unknown>): void {
  const table = single('table', argv.table);
  const query = single('sql', argv.sql);
  if ((table === undefined) === (query === undefined)) throw new CliError('sql needs exactly one of --table (the table to score) or --sql (a query whose rows to score)');
  if (table === '' || (query !== undefined && query.trim() === '')) throw new CliError(`--${table !== undefined ? 'table' : 'sql'} is empty`);
  const outRaw = single('out', argv.out);
  const modelPath = single('model', argv.model) ?? '';
  const out = outRaw === undefined ? null : checkOutputPath(outRaw, '--out', [modelPath]);
  const model = readModelFile(modelPath);
  const json = model.toJSON();
  if (json.design === null) throw new CliError(`--model ${modelPath} was fitted on a matrix, not a table: it has no columns to score in SQL`);
  const from = table !== undefined ? tableRelation(table) : `(${query!.trim().replace(/;+\s*$/, '')})`;
  const text = `${scoringSql({
    kind: json.model, classes: json.classes as Label[], coef: json.coef, intercept: json.intercept, standardization: json.standardization, design: json.design,
  }, from)};\n`;
  if (out === null) process.stdout.write(text);
  else writeOutput(out, text, '--out');
}
