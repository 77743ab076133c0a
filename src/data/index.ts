export { DataError } from './errors.js';
export { readCsv } from './csv.js';
export { readCsvSource, detectDelimiter, DEFAULT_NA_VALUES, type CsvOptions } from './csvReader.js';
export { bytesSource, type ByteSource } from './source.js';
export { type Table, type Column, type NumericColumn, type CategoricalColumn, takeTableRows } from './table.js';
export { toTable, type TableLike, type Records, type ColumnObject } from './records.js';
export { bundledDatasets, findBundled, datasetsDir, resolveDataArg, loadBundled, type BundledDataset } from './registry.js';
export { stratifiedSplit } from './split.js';
