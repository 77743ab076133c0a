import { statSync } from 'node:fs';
import { readCsv, type Dataset } from '../data/csv.js';
import { resolveDataArg } from '../data/registry.js';
import { warmUp } from '../index.js';

/**
 * Files from this size up hold enough values that a fit on them runs its passes on every core; the
 * worker threads, which take tens of milliseconds to start, then start while the file is read.
 */
const WARM_UP_BYTES = 2_000_000;

/** What --data, --target, --weight-column and --delimiter resolve to, read and checked. */
export interface LoadedData {
  /** The file read. */
  path: string;
  /** The bundled data set's name, when --data named one. */
  bundled: string | null;
  dataset: Dataset;
}

/**
 * Reads --data (a bundled name or a CSV path). The target is --target, else the bundled set's own
 * target, else the last column (the Dataset then says `targetDefaulted`). `target: null` reads
 * unlabelled data; `features` selects the model's columns by name.
 */
export function loadData(
  data: string,
  opts: { target?: string | null; weightColumn?: string; delimiter?: string; features?: readonly string[] },
): LoadedData {
  const resolved = resolveDataArg(data);
  try {
    if (statSync(resolved.path).size >= WARM_UP_BYTES) warmUp();
  } catch {
    // A missing file is reported by readCsv, with its message.
  }
  const target = opts.target === null ? null : (opts.target ?? resolved.target);
  const dataset = readCsv(resolved.path, {
    ...(target === undefined ? {} : { target }),
    ...(opts.weightColumn === undefined ? {} : { weightColumn: opts.weightColumn }),
    ...(opts.delimiter === undefined ? {} : { delimiter: opts.delimiter }),
    ...(opts.features === undefined ? {} : { features: opts.features }),
  });
  return { path: resolved.path, bundled: resolved.bundled ?? null, dataset };
}
