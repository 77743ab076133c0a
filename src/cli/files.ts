import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * Checks, before any work is done, that `path` can be written as an output file: its folder exists
 * and it is not itself a folder. `option` names the flag in the message.
 */
export function checkOutputPath(path: string, option: string): string {
  const abs = resolve(path);
  let dir;
  try {
    dir = statSync(dirname(abs));
  } catch {
    throw new CliError(`${option} ${path}: the folder ${dirname(path) || '.'} does not exist`);
  }
  if (!dir.isDirectory()) throw new CliError(`${option} ${path}: ${dirname(path)} is not a folder`);
  try {
    if (statSync(abs).isDirectory()) throw new CliError(`${option} ${path} is a folder, not a file`);
  } catch (e) {
    if (e instanceof CliError) throw e;
  }
  return abs;
}

/**
 * Writes `text` to `path` atomically: into a temporary file beside it, flushed, then renamed over
 * the target. A failure at any point leaves no partial file and the previous file untouched.
 */
export function writeFileAtomic(path: string, text: string, option: string): void {
  const abs = resolve(path);
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx');
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, abs);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new CliError(`${option} ${path}: could not write the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
