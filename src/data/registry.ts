import { nodeBuiltin } from '../platform/nodeBuiltins.js';
import { readCsv } from './csv.js';
import type { Table } from './table.js';

/** A data set shipped in the package's datasets/ folder. */
export interface BundledDataset {
  name: string;
  file: string;
  target: string;
  description: string;
  source: string;
  licence: string;
}

const BUNDLED: readonly BundledDataset[] = [
  { name: 'iris', file: 'iris.csv', target: 'species', description: 'iris flowers, 3 species',
    source: 'R. A. Fisher (1936), UCI Machine Learning Repository', licence: 'CC BY 4.0' },
  { name: 'wine', file: 'wine.csv', target: 'cultivar', description: 'wine chemistry, 3 cultivars',
    source: 'Forina et al., UCI Wine data set', licence: 'CC BY 4.0' },
  { name: 'breast-cancer', file: 'breast_cancer.csv', target: 'diagnosis', description: 'breast mass cell nuclei, malignant or benign',
    source: 'Wolberg, Street, Mangasarian, Breast Cancer Wisconsin (Diagnostic), UCI', licence: 'CC BY 4.0' },
  { name: 'digits', file: 'digits.csv', target: 'digit', description: '8×8 images of handwritten digits 0-9',
    source: 'Alpaydin and Kaynak, Optical Recognition of Handwritten Digits, UCI', licence: 'CC BY 4.0' },
  { name: 'spector', file: 'spector.csv', target: 'GRADE', description: 'grade improvement after a teaching method (PSI)',
    source: 'Spector and Mazzeo (1980), via Greene, Econometric Analysis; statsmodels', licence: 'public domain' },
  { name: 'infert', file: 'infert.csv', target: 'case', description: 'infertility after induced and spontaneous abortion (categorical education)',
    source: 'Trichopoulos et al. (1976); R datasets::infert', licence: 'GPL-2 | GPL-3 (R)' },
  { name: 'birthwt', file: 'birthwt.csv', target: 'low', description: 'low birth weight and risk factors (categorical race)',
    source: 'Hosmer and Lemeshow, Applied Logistic Regression; R MASS::birthwt', licence: 'GPL-2 | GPL-3 (MASS)' },
];

/** The bundled data sets. */
export function bundledDatasets(): readonly BundledDataset[] {
  return BUNDLED;
}

/** A bundled data set by name ('breast_cancer' and 'breast_cancer.csv' also find breast-cancer). */
export function findBundled(name: string): BundledDataset | undefined {
  const key = name.toLowerCase().replace(/\.csv$/, '').replace(/_/g, '-');
  return BUNDLED.find((b) => b.name === key);
}

/** What a browser does instead of reading a bundled data set's file. */
const IN_A_BROWSER = 'in a browser, fetch the CSV file (the package\'s datasets/ folder) and use readCsvSource(bytesSource(name, bytes))';

/** node:path, for the paths of the bundled files (Node.js only). */
const path = () => nodeBuiltin('node:path', "reading a bundled data set's file", IN_A_BROWSER);

/**
 * The package's datasets/ folder, found from this module's own location (src/data/ under tests,
 * dist/data/ when built), so `--data iris` works from any working directory. Node.js only.
 */
export function datasetsDir(): string {
  const { fileURLToPath } = nodeBuiltin('node:url', "reading a bundled data set's file", IN_A_BROWSER);
  const { dirname, resolve } = path();
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'datasets');
}

/**
 * What a --data argument means: an existing file path is read as such; otherwise a bundled name
 * (its file and target); otherwise the path (so reading it reports "no such file").
 */
export function resolveDataArg(arg: string): { path: string; target?: string; bundled?: string } {
  if (nodeBuiltin('node:fs', 'reading files').existsSync(arg)) return { path: arg };
  const b = findBundled(arg);
  if (b !== undefined) return { path: path().join(datasetsDir(), b.file), target: b.target, bundled: b.name };
  return { path: arg };
}

/**
 * Reads a bundled data set by name: its table and its target column (fit with
 * `fit(table, { target })`). RangeError for an unknown name. Node.js only (it reads the file).
 */
export function loadBundled(name: string): { table: Table; target: string } {
  const b = findBundled(name);
  if (b === undefined) {
    throw new RangeError(`there is no bundled data set "${name}"; the bundled sets are ${BUNDLED.map((s) => s.name).join(', ')}`);
  }
  return { table: readCsv(path().join(datasetsDir(), b.file)), target: b.target };
}
