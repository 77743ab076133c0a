import { readFileSync, statSync } from 'node:fs';
import { type Classifier, loadModel } from '../index.js';
import { CliError } from './errors.js';

/** The largest model file read: far above any real model (a million coefficients is about 25 MB of JSON). */
export const MAX_MODEL_BYTES = 512 * 2 ** 20;

/** Reads --model: a missing, unreadable, oversized, non-JSON or non-logreg file is one line naming it. */
export function readModelFile(path: string): Classifier {
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliError(`--model ${path} is a folder, not a model file`);
    if (st.size > MAX_MODEL_BYTES) {
      throw new CliError(`--model ${path} is ${(st.size / 2 ** 20).toFixed(0)} MiB, larger than any logreg model (at most ${MAX_MODEL_BYTES / 2 ** 20} MiB are read); is it the right file?`);
    }
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
