import type { Argv } from 'yargs';
import { parseCell } from '../data/number.js';
import { CliError } from './errors.js';

/**
 * Parsing of option values given as text, so that messages can quote what the user typed and name
 * the flag: "--C must be a positive number, got -1".
 */

export function parseNumber(option: string, raw: unknown, rule: 'positive' | 'fraction' | 'unit' | 'nonnegative-integer' | 'positive-integer' | 'integer'): number {
  const text = String(raw).trim();
  // Decimal notation only: hex, binary and octal literals are refused, as in data cells.
  const v = parseCell(text) ?? NaN;
  const bad = (what: string) => new CliError(`--${option} must be ${what}, got ${JSON.stringify(String(raw)).slice(1, -1) || '(empty)'}`);
  switch (rule) {
    case 'positive':
      if (!(v > 0) || !Number.isFinite(v)) throw bad('a positive number');
      return v;
    case 'fraction':
      if (!(v > 0 && v < 1)) throw bad('a number between 0 and 1 (exclusive)');
      return v;
    case 'unit':
      if (!(v >= 0 && v <= 1)) throw bad('a number from 0 to 1');
      return v;
    case 'positive-integer':
      if (!Number.isInteger(v) || v < 1) throw bad('a positive integer');
      return v;
    case 'nonnegative-integer':
      if (!Number.isInteger(v) || v < 0) throw bad('a non-negative integer');
      return v;
    case 'integer':
      if (!Number.isInteger(v)) throw bad('an integer');
      return v;
  }
}

export function parseChoice<T extends string>(option: string, raw: unknown, choices: readonly T[]): T {
  const v = String(raw);
  if (!(choices as readonly string[]).includes(v)) {
    throw new CliError(`--${option} must be one of ${choices.join(', ')}, got ${v === '' ? '(empty)' : v}`);
  }
  return v as T;
}

/** An optional string option given at most once (yargs turns a repeated flag into an array). */
export function single(option: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new CliError(`--${option} was given ${raw.length} times; give it once`);
  return String(raw);
}

/**
 * Lists options as `[number]` in --help while yargs still hands over the text typed, unconverted.
 * An option declared both string and number is parsed as a string by yargs-parser (a string is
 * never coerced) and shown under the type yargs' help checks last, number. The text matters:
 * `parseNumber` checks it and quotes it ("--C must be a positive number, got abc"), where yargs'
 * own conversion would give NaN, or read 0x10 as 16. test/cli/manners.test.ts checks both sides.
 */
export function numericOptions(y: Argv, keys: readonly string[]): Argv {
  return y.string([...keys]).number([...keys]);
}
