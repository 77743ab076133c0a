#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { datasetsCommand } from './commands/datasets.js';
import { evaluateCommand } from './commands/evaluate.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';
import { CliError } from './errors.js';

/**
 * The `logreg` command. Every failure is one line on stderr and exit code 1; a stack trace only
 * with LOGREG_DEBUG=1 (for bugs, which should never happen).
 */
async function main(): Promise<void> {
  const cli = yargs(hideBin(process.argv))
    .scriptName('logreg')
    .usage('$0 <command> [options]\n\nLogistic and softmax regression on CSV data.')
    .command(trainCommand)
    .command(predictCommand)
    .command(evaluateCommand)
    .command(datasetsCommand)
    .demandCommand(1, 'name a command: train, predict, evaluate or datasets (see logreg --help)')
    .strict()
    .parserConfiguration({ 'camel-case-expansion': false, 'duplicate-arguments-array': true })
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg: string | null, err: Error | null) => {
      throw err ?? new CliError((msg ?? 'invalid usage').replace(/\s*\n\s*/g, ' '));
    })
    .help()
    .version();
  await cli.parseAsync();
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  const known = err instanceof CliError || err.name === 'DataError' || err instanceof RangeError || err instanceof TypeError;
  const message = err.message.replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`logreg: ${known ? '' : 'internal error: '}${message}\n`);
  if (process.env.LOGREG_DEBUG === '1') process.stderr.write(`${err.stack ?? ''}\n`);
  process.exitCode = 1;
});
