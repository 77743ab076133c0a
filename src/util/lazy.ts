import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A dependency that only some paths need, loaded on first use (synchronously, through its CommonJS
 * entry): ml-matrix for statistical inference, csv-parse for CSV files that are not plain numbers,
 * cli-progress for long fits on a terminal. Loading all of them up front took about 45 ms of
 * every `logreg` command's start-up.
 */
export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
