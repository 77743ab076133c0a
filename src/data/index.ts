export { DataError } from './errors.js';
export { readCsv, detectDelimiter, type ReadOptions, type Dataset } from './csv.js';
export { bundledDatasets, findBundled, datasetsDir, resolveDataArg, loadBundled, type BundledDataset } from './registry.js';
export { stratifiedSplit } from './split.js';
