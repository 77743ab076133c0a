#!/usr/bin/env node
import { importOptional } from '../util/lazy.js';
import { datasetsCommand } from './commands/datasets.js';
import { cvCommand } from './commands/cv.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { pathCommand } from './commands/path.js';
import { predictCommand } from './commands/predict.js';
import { sqlCommand } from './commands/sql.js';
import { trainCommand } from './commands/train.js';
import { CliError } from './errors.js';

/**
 * The `logreg` command. Every failure is one line on stderr and exit code 1; a stack trace only
 * with LOGREG_DEBUG=1 (for bugs, which should never happen). A closed standard output (`logreg
 * predict … | head`) ends the command quietly with exit code 0; any other failure to write it (a
 * full disk) is one line and exit code 1.
 */

/** One line on stderr and exit code 1. */
function fail(message: string): void {
  process.stderr.write(`logreg: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 1;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  fail(`could not write to standard output (${e.code ?? e.message})`);
  process.exit(1);
});

const USAGE = '$0 <command> [options]\n\nLogistic and softmax regression on CSV, Parquet and SQL data: logreg train --data iris';

/** The commands' flags (boolean options). */
const FLAGS = ['standardize', 'intercept', 'summary', 'json', 'quiet', 'proba-only', 'labels-only', 'float32', 'help', 'version'];

/**
 * A flag given a value other than true or false (`--standardize=1`, `--json=maybe`): yargs would
 * read it as false, silently; it is refused instead.
 */
function checkFlagValues(args: readonly string[]): void {
  for (const a of args) {
    const m = /^--(?:no-)?([a-z0-9-]+)=(.*)$/.exec(a);
    if (m !== null && FLAGS.includes(m[1]!) && m[2] !== 'true' && m[2] !== 'false') {
      throw new CliError(`--${m[1]} is a flag: give it alone (or =true / =false), got ${a}`);
    }
  }
}

/** `--data -` as `--data=-`: yargs reads a lone "-" after an option as an empty value. */
function joinDashValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-' && i > 0 && /^--[a-z-]+$/.test(args[i - 1]!) && out.length > 0 && out[out.length - 1] === args[i - 1]) {
      out[out.length - 1] = `${args[i - 1]}=-`;
    } else {
      out.push(args[i]!);
    }
  }
  return out;
}

async function main(): Promise<void> {
  // yargs is an optional package (a project that only fits and predicts does not install it).
  const { default: yargs } = await importOptional('yargs', 'the logreg command', () => import('yargs'));
  const { hideBin } = await import('yargs/helpers');
  const args = joinDashValues(hideBin(process.argv));
  checkFlagValues(args);
  const cli = yargs(args)
    .scriptName('logreg')
    .usage(USAGE)
    .command(trainCommand)
    .command(predictCommand)
    .command(evaluateCommand)
    .command(pathCommand)
    .command(cvCommand)
    .command(datasetsCommand)
    .command(exportCommand)
    .command(sqlCommand)
    .strict()
    .parserConfiguration({ 'camel-case-expansion': false, 'duplicate-arguments-array': true })
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg: string | null, err: Error | null) => {
      throw err ?? new CliError((msg ?? 'invalid usage').replace(/\s*\n\s*/g, ' '));
    })
    .help()
    .version();
  if (args.length === 0) {
    // No command: the usage, on stderr, and a failing exit code (nothing was done).
    process.stderr.write(`${await cli.getHelp()}\n`);
    process.exitCode = 1;
    return;
  }
  await cli.parseAsync();
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  const known = err instanceof CliError || err.name === 'DataError' || err.name === 'FormulaError' || err.name === 'MissingPackageError' || err.name === 'EngineError' || err instanceof RangeError || err instanceof TypeError;
  fail(`${known ? '' : 'internal error: '}${err.message}`);
  if (process.env.LOGREG_DEBUG === '1') process.stderr.write(`${err.stack ?? ''}\n`);
});
