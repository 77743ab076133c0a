export { DataError } from './errors.js';
export { readCsv, detectDelimiter, type ReadOptions, type Dataset } from './csv.js';
export { bundledDatasets, findBundled, datasetsDir, resolveDataArg, loadBundled, type BundledDataset } from './registry.js';
export { stratifiedSplit, takeRows } from './split.js';
