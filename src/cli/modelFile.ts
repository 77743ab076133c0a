import { readFileSync, statSync } from 'node:fs';
import { type Classifier, loadModel } from '../index.js';
import { CliError } from './errors.js';

/** Reads --model: a missing, unreadable, non-JSON or non-logreg file is one line naming it. */
export function readModelFile(path: string): Classifier {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new CliError(`--model ${path} is a folder, not a model file`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`--model ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`--model ${path} is not a logreg model (it is not valid JSON; the file may be corrupt or truncated)`);
  }
  try {
    return loadModel(json);
  } catch (e) {
    throw new CliError(`--model ${path}: ${(e as Error).message}`);
  }
}
