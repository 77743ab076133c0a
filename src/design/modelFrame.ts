import { type BlockShape, type ModelMatrix, allocModelMatrix } from '../backend/modelMatrix.js';
import { DataError } from '../data/errors.js';
import { parseCell } from '../data/number.js';
import { type Column, type Table, listNames } from '../data/table.js';
import { quoteCell } from '../data/csvReader.js';
import type { Label } from '../util/labels.js';
import { FormulaError, parseFormula } from './formula.js';
import {
  type Coding, type Factor, type ModelTerms, codeTerms, defaultTerms, designColumns, expandFormula, levelLabel, numericLevels,
} from './terms.js';

/**
 * The model frame: from a table of typed columns to the model matrix of a fit, its labels and
 * weights, by the terms of a formula (R's `model.frame` + `model.matrix`); and the same coding
 * applied to new data for predictions (`applyDesign`). Used alike by fit, predict, evaluate and
 * summary, so a model is always read the way it was fitted.
 *
 * Coding (formula.ts and terms.ts say what the terms are): a term of numeric factors is one dense
 * column (the product of their values); a term with categorical factors is one indexed block of
 * the model matrix (src/backend/modelMatrix.ts), one code per row for its level combination
 * (R's column order: the first factor in R's variable order varies fastest) and the product of its
 * numeric factors as the value. A categorical factor's levels are those present in the rows the
 * model is fitted on (sorted by UTF-8 bytes; `C(x)` of a numeric column: the values, ascending).
 *
 * Missing values (empty cells, NA …) in a used column (the response, the weights, every factor):
 *   refuse (default): a DataError naming the line and column;
 *   drop: the row is left out (R's na.omit), and the frame says how many;
 *   mean: a numeric column's missing values become its mean over the fitted rows, a categorical
 *         column's a level of its own, "missing" (placed after the others, so the reference level
 *         stays the first real one); the design stores both. Rows without a label or a weight are
 *         left out, as there is nothing to impute them with.
 */
export type MissingPolicy = 'refuse' | 'drop' | 'mean';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['refuse', 'drop', 'mean'];

/** The level a categorical column's missing values get under the 'mean' policy. */
export const MISSING_LEVEL = 'missing';

/** What to fit: a formula, or a target with the columns to use. */
export interface DesignSpec {
  /** `target ~ terms` (formula.ts). Without it: `target ~ .`, narrowed by features / exclude. */
  formula?: string | null;
  /** The response column (required without a formula; with one, must agree with its response). */
  target?: string | null;
  /** Exactly these columns as main effects, in this order (without a formula). */
  features?: readonly string[] | null;
  /** Columns left out of `.` (and of the default terms). */
  exclude?: readonly string[] | null;
  /** A column of per-row frequency weights (finite, ≥ 0); never a feature. */
  weightColumn?: string | null;
  missing?: MissingPolicy;
  /** Fit an intercept (default true; a formula's `0` or `- 1` removes it). */
  intercept?: boolean;
}

/** A factor of the design: a column used by value or by level, with its levels when categorical. */
export interface DesignFactor extends Factor {
  /** Level texts (categorical factors): the model's columns are these levels' indicators. */
  levels: string[] | null;
  /** For `C(x)` of a numeric column: the numeric values of the levels (levels[k] = levelLabel(values[k])). */
  values: number[] | null;
}

/** A column the design reads, with what it imputes for missing values. */
export interface DesignSource {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Numeric columns under the 'mean' policy: the value that replaces a missing one. */
  impute: number | null;
  /** Categorical columns under the 'mean' policy: whether missing values have a level of their own. */
  missingLevel: boolean;
}

/** Everything needed to build the same model matrix from new data: plain JSON. */
export interface Design {
  response: string;
  formula: string | null;
  intercept: boolean;
  weightColumn: string | null;
  missing: MissingPolicy;
  sources: DesignSource[];
  factors: DesignFactor[];
  /** The terms in R's order, each as indices into `factors`, with R's variable order and the codings. */
  terms: Array<{ factors: number[]; columnOrder: number[]; codings: Coding[] }>;
  /** Coefficient names in formula order (patsy style), intercept excluded. */
  names: string[];
}

/** A design applied to rows of a table. */
export interface Frame {
  /** The model matrix (internal column order: dense columns first, then the blocks). */
  matrix: ModelMatrix;
  /** Internal column of each named coefficient: names[j] is matrix column order[j]. */
  order: Int32Array;
  /** The table rows in the matrix (after dropping). */
  rows: Uint32Array;
  /** Rows left out for missing values. */
  dropped: number;
  /** Rows whose level was not seen in fitting (coded as all-zero indicators). */
  unknown: number;
  /** Labels of the rows (when the response was read), and weights. */
  labels: Label[] | null;
  weights: Float64Array | null;
  warnings: string[];
}

/** The columns a spec reads from a table with these column names (to read no more of a file). */
export function columnsNeeded(spec: DesignSpec, names: readonly string[]): string[] {
  const want = new Set<string>();
  const target = responseOf(spec, names);
  want.add(target);
  if (spec.weightColumn) want.add(spec.weightColumn);
  if (spec.formula) {
    const t = expandFormula(parseFormula(spec.formula), names.map((name) => ({ name, kind: 'numeric' as const })), { exclude: excludeList(spec) });
    for (const term of t.terms) for (const f of term.factors) want.add(f.column);
  } else if (spec.features) {
    for (const f of spec.features) want.add(f);
  } else {
    const out = new Set(excludeList(spec));
    for (const n of names) if (!out.has(n)) want.add(n);
  }
  return names.filter((n) => want.has(n));
}

/** The response: the formula's, or the target (which must agree), else an error. */
function responseOf(spec: DesignSpec, names: readonly string[]): string {
  if (spec.formula) {
    const f = parseFormula(spec.formula);
    if (f.response === null) {
      if (!spec.target) throw new FormulaError(spec.formula, 0, 'the formula has no response: write `target ~ …`, or give a target');
      return spec.target;
    }
    if (spec.target && spec.target !== f.response) {
      throw new RangeError(`the formula's response is ${JSON.stringify(f.response)} but the target is ${JSON.stringify(spec.target)}`);
    }
    return f.response;
  }
  if (!spec.target) throw new RangeError('a target column is needed (or a formula with a response)');
  if (!names.includes(spec.target)) throw new RangeError(`has no target column ${JSON.stringify(spec.target)} (columns: ${listNames(names)})`);
  return spec.target;
}

function excludeList(spec: DesignSpec): string[] {
  return [...(spec.exclude ?? []), ...(spec.weightColumn ? [spec.weightColumn] : [])];
}

/** The terms of a spec over a table. */
function termsOf(spec: DesignSpec, table: Table): ModelTerms {
  const schema = table.columns.map((c) => ({ name: c.name, kind: c.kind }));
  let response: string;
  try {
    response = responseOf(spec, table.names);
  } catch (e) {
    if (e instanceof RangeError) throw new DataError(table.source, e.message);
    throw e;
  }
  if (spec.formula) {
    const t = expandFormula(parseFormula(spec.formula), schema, { exclude: excludeList(spec) });
    if (t.response === null) return { ...t, response, intercept: t.intercept && spec.intercept !== false };
    return spec.intercept === false ? { ...t, intercept: false } : t;
  }
  return defaultTerms(response, schema, {
    ...(spec.features ? { features: spec.features } : {}), exclude: excludeList(spec).filter((n) => n !== response && table.names.includes(n)),
    intercept: spec.intercept !== false,
  });
}

/** The column `name` of the table (a DataError naming the source when absent). */
function column(table: Table, name: string, role: string): Column {
  const c = table.columns.find((col) => col.name === name);
  if (c === undefined) {
    if (role === 'model') throw new DataError(table.source, `lacks the column ${JSON.stringify(name)} that the model needs (columns: ${listNames(table.names)})`);
    throw new DataError(table.source, `has no ${role} ${JSON.stringify(name)} (columns: ${listNames(table.names)})`);
  }
  return c;
}

/** Refuses an infinite value in a numeric column among the rows used, naming its line. */
function checkFinite(table: Table, c: Column, rows: Uint32Array): void {
  if (c.kind !== 'numeric') return;
  for (const i of rows) {
    const v = c.values[i]!;
    if (v === Infinity || v === -Infinity) throw new DataError(table.source, `value ${v} is infinite; every value must be a finite number`, at(table, i, c.name));
  }
}

/**
 * A warning for a categorical column most of whose values are numbers (a numeric column with a
 * stray marker such as "?" or "abc"): it is treated as categorical, which the user may not want.
 */
function numericLookingWarning(c: Column, rows: Uint32Array): string | null {
  if (c.kind !== 'categorical') return null;
  const numeric = c.levels.map((l) => parseCell(l) !== null);
  let count = 0;
  let total = 0;
  let example = -1;
  for (const i of rows) {
    const k = c.codes[i]!;
    if (k < 0) continue;
    total++;
    if (numeric[k]) count++;
    else if (example < 0) example = k;
  }
  if (count === 0 || 2 * count < total || example < 0) return null;
  const text = c.levels[example]!;
  return `column ${JSON.stringify(c.name)} is treated as categorical: ${count} of its ${total} values are numbers, but ${quoteCell(text)} is not; if ${quoteCell(text)} marks a missing value, pass --na-values ${JSON.stringify(text)}`;
}

/** Where row i of the table is, for a DataError. */
function at(table: Table, row: number, col: string): { line?: number; record?: number; column: string } {
  return { ...table.locate(row), column: col };
}

/**
 * Builds the design of `spec` on rows `rows` of `table` (all rows when null) and its frame: the
 * model matrix (with `extraBytes` of room in its arena for the objective), labels and weights.
 */
export function buildDesign(table: Table, spec: DesignSpec, rows: Uint32Array | null = null, extraBytes = 0): { design: Design; frame: Frame } {
  const missing = spec.missing ?? 'refuse';
  if (!MISSING_POLICIES.includes(missing)) throw new RangeError(`missing must be one of ${MISSING_POLICIES.join(', ')}, got ${JSON.stringify(missing)}`);
  const terms = termsOf(spec, table);
  const response = terms.response!;
  const coded = codeTerms(terms);
  const weightColumn = spec.weightColumn ?? null;
  const all = rows ?? Uint32Array.from({ length: table.n }, (_, i) => i);

  // The columns read, each once.
  const sourceNames: string[] = [];
  for (const { term } of coded) for (const f of term.factors) if (!sourceNames.includes(f.column)) sourceNames.push(f.column);
  const sources = sourceNames.map((name) => column(table, name, 'column'));
  const responseCol = column(table, response, 'target column');
  const weightCol = weightColumn === null ? null : column(table, weightColumn, 'weight column');
  if (weightCol !== null && weightCol.kind !== 'numeric') {
    const k = weightCol.codes.findIndex((c, i) => c >= 0 && all.includes(i));
    throw new DataError(table.source, `weight ${quoteCell(weightCol.levels[weightCol.codes[k]!]!)} is not a number`, at(table, k, weightCol.name));
  }

  // Rows kept: missing labels and weights are never imputed; missing features by policy.
  const keep: number[] = [];
  let dropped = 0;
  for (const i of all) {
    let bad: string | null = isMissing(responseCol, i) ? responseCol.name : weightCol !== null && isMissing(weightCol, i) ? weightCol.name : null;
    if (bad === null && missing !== 'mean') bad = sources.find((c) => isMissing(c, i))?.name ?? null;
    if (bad === null) {
      keep.push(i);
      continue;
    }
    if (missing === 'refuse') throw missingError(table, i, bad);
    dropped++;
  }
  if (keep.length === 0) {
    throw new DataError(table.source, `every one of its ${all.length} rows has a missing value in a column the model uses (${listNames([response, ...sourceNames])}), so no row is left to fit`);
  }
  const kept = Uint32Array.from(keep);
  for (const c of sources) checkFinite(table, c, kept);
  if (weightCol !== null) checkFinite(table, weightCol, kept);
  const columnWarnings = sources.map((c) => numericLookingWarning(c, kept)).filter((w): w is string => w !== null);

  // Imputation values and levels, from the kept rows: under 'mean', every numeric column gets its
  // mean (new data may lack values where the fitted rows had none), and a categorical column with
  // missing values among the fitted rows a level for them.
  const designSources: DesignSource[] = sources.map((c) => {
    const src: DesignSource = { name: c.name, kind: c.kind, impute: null, missingLevel: false };
    if (missing !== 'mean') return src;
    if (c.kind === 'numeric') {
      let sum = 0;
      let cnt = 0;
      for (const i of kept) {
        const v = c.values[i]!;
        if (v === v) {
          sum += v;
          cnt++;
        }
      }
      if (cnt === 0) throw new DataError(table.source, 'has no value in the rows fitted, so its mean cannot be imputed', { column: c.name });
      src.impute = sum / cnt;
    } else {
      src.missingLevel = kept.some((i) => c.codes[i]! < 0);
      if (src.missingLevel && c.levels.includes(MISSING_LEVEL)) {
        throw new DataError(table.source, `has a level named ${JSON.stringify(MISSING_LEVEL)}, the name --missing mean gives to missing values; rename the level or choose --missing drop`, { column: c.name });
      }
    }
    return src;
  });

  const factors: DesignFactor[] = [];
  const factorIndex = new Map<string, number>();
  const termSpecs = coded.map(({ term, codings }) => ({
    factors: term.factors.map((f) => {
      let k = factorIndex.get(f.label);
      if (k === undefined) {
        k = factors.length;
        factorIndex.set(f.label, k);
        factors.push(trainingLevels(table, f, sources[sourceNames.indexOf(f.column)]!, designSources[sourceNames.indexOf(f.column)]!, kept));
      }
      return k;
    }),
    columnOrder: [...term.columnOrder],
    codings: [...codings],
  }));
  const names = designColumns(coded, (f) => factors[factorIndex.get(f.label)!]!.levels!).map((c) => c.name);
  const design: Design = {
    response, formula: spec.formula ?? null, intercept: terms.intercept, weightColumn, missing,
    sources: designSources, factors, terms: termSpecs, names,
  };
  const frame = frameRows(design, table, kept, 'error', extraBytes);
  const labels = labelsOf(responseCol, kept);
  const warnings = [...columnWarnings, ...frame.warnings, ...labelWarnings(responseCol, kept)];
  const weights = weightCol === null ? null : weightsOf(table, weightCol, kept);
  return { design, frame: { ...frame, dropped, labels, weights, warnings } };
}

/** Options for applying a design to new data. */
export interface ApplyOptions {
  /** Rows of the table (default all). */
  rows?: Uint32Array | null;
  /** A level not seen in fitting: an error naming it (default), or all-zero indicators ('zero', scikit-learn's handle_unknown='ignore'). */
  unknownLevel?: 'error' | 'zero';
  /** Read the labels too (evaluation) from the design's response (true) or from this column (a name). */
  labels?: boolean | string;
  /** Read the design's weight column too (true), or this column as weights (a name). */
  weights?: boolean | string;
  extraBytes?: number;
}

/**
 * The frame of new data under a fitted design: the same terms, levels and imputations. Rows with a
 * missing value are an error under 'refuse', left out under 'drop' (the frame's `rows` say which
 * rows remain), imputed under 'mean'.
 */
export function applyDesign(design: Design, table: Table, options: ApplyOptions = {}): Frame {
  const all = options.rows ?? Uint32Array.from({ length: table.n }, (_, i) => i);
  const sources = design.sources.map((s) => column(table, s.name, 'model'));
  const responseName = typeof options.labels === 'string' ? options.labels : options.labels ? design.response : null;
  const responseCol = responseName === null ? null : column(table, responseName, 'target column');
  const weightName = typeof options.weights === 'string' ? options.weights : options.weights ? design.weightColumn : null;
  const weightCol = weightName === null ? null : column(table, weightName, 'weight column');
  if (weightCol !== null && weightCol.kind !== 'numeric') throw new DataError(table.source, 'is not a numeric column of weights', { column: weightCol.name });
  design.sources.forEach((s, k) => {
    const c = sources[k]!;
    if (s.kind === 'numeric' && c.kind !== 'numeric') {
      const i = c.codes.findIndex((code) => code >= 0 && parseCell(c.levels[code]!) === null);
      throw new DataError(table.source, `${quoteCell(c.levels[c.codes[i]!]!)} is not a number (the model uses this column as a number)`, at(table, i, c.name));
    }
  });
  const keep: number[] = [];
  let dropped = 0;
  for (const i of all) {
    let bad: string | null = null;
    if (responseCol !== null && isMissing(responseCol, i)) bad = responseCol.name;
    else if (weightCol !== null && isMissing(weightCol, i)) bad = weightCol.name;
    else {
      const k = sources.findIndex((c, s) => isMissing(c, i) && !(design.missing === 'mean' && canImpute(design.sources[s]!)));
      if (k >= 0) bad = sources[k]!.name;
    }
    if (bad === null) {
      keep.push(i);
      continue;
    }
    if (design.missing === 'refuse') throw missingError(table, i, bad);
    dropped++;
  }
  const kept = Uint32Array.from(keep);
  for (const c of sources) checkFinite(table, c, kept);
  const frame = frameRows(design, table, kept, options.unknownLevel ?? 'error', options.extraBytes ?? 0);
  return {
    ...frame,
    dropped,
    labels: responseCol === null ? null : labelsOf(responseCol, kept),
    weights: weightCol === null ? null : weightsOf(table, weightCol, kept),
  };
}

/** Whether the 'mean' policy can fill a source's missing values (a level, or a mean). */
function canImpute(s: DesignSource): boolean {
  return s.impute !== null || s.missingLevel;
}

function isMissing(c: Column, i: number): boolean {
  return c.kind === 'numeric' ? Number.isNaN(c.values[i]!) : c.codes[i]! < 0;
}

function missingError(table: Table, row: number, col: string): DataError {
  return new DataError(table.source, 'missing value; --missing drop leaves such rows out, --missing mean imputes them (API: missing: "drop" | "mean")', at(table, row, col));
}

/** A factor's levels among the fitted rows. */
function trainingLevels(table: Table, f: Factor, c: Column, src: DesignSource, rows: Uint32Array): DesignFactor {
  if (!f.categorical) return { ...f, levels: null, values: null };
  if (c.kind === 'numeric') {
    const values = numericLevels(Float64Array.from(rows, (i) => c.values[i]!));
    if (src.impute !== null && rows.some((i) => Number.isNaN(c.values[i]!))) {
      throw new DataError(table.source, `${f.label} treats a numeric column as categorical, whose missing values have no mean to impute; use --missing drop`, { column: c.name });
    }
    return { ...f, levels: values.map(levelLabel), values };
  }
  const present = new Uint8Array(c.levels.length);
  for (const i of rows) if (c.codes[i]! >= 0) present[c.codes[i]!] = 1;
  const levels = c.levels.filter((_, k) => present[k] === 1);
  if (src.missingLevel) levels.push(MISSING_LEVEL);
  return { ...f, levels, values: null };
}

/**
 * The model matrix of rows `rows` under a design. Unknown levels: an error naming the row, or
 * code −1 (no column) counted in `unknown`.
 */
function frameRows(design: Design, table: Table, rows: Uint32Array, unknownLevel: 'error' | 'zero', extraBytes: number): Omit<Frame, 'dropped' | 'labels' | 'weights'> & { warnings: string[] } {
  const n = rows.length;
  const cols = design.sources.map((s) => column(table, s.name, 'model'));
  const srcOf = (f: DesignFactor) => design.sources.findIndex((s) => s.name === f.column);
  // Per factor, per row: the value (numeric) or the design level (categorical; −1 unknown).
  const factorValues: Array<Float64Array | Int32Array> = design.factors.map((f) => {
    const s = srcOf(f);
    const c = cols[s]!;
    const src = design.sources[s]!;
    if (!f.categorical) {
      if (c.kind !== 'numeric') throw new DataError(table.source, 'is not numeric', { column: c.name });
      const out = Float64Array.from(rows, (i) => c.values[i]!);
      if (src.impute !== null) for (let r = 0; r < n; r++) if (Number.isNaN(out[r]!)) out[r] = src.impute;
      return out;
    }
    const index = new Map<string, number>(f.levels!.map((l, k) => [l, k]));
    const out = new Int32Array(n);
    const missingCode = src.missingLevel ? index.get(MISSING_LEVEL)! : -1;
    if (c.kind === 'numeric') {
      // By value for C(x) of a numeric column; else the number as text (a table of records may
      // hold numbers in a column the model has as text).
      const byValue = f.values === null ? null : new Map<number, number>(f.values.map((v, k) => [v, k]));
      for (let r = 0; r < n; r++) {
        const v = c.values[rows[r]!]!;
        if (Number.isNaN(v)) out[r] = missingCode;
        else out[r] = (byValue === null ? index.get(levelLabel(v)) : byValue.get(v === 0 ? 0 : v)) ?? -2;
      }
    } else {
      const map = Int32Array.from(c.levels, (l) => index.get(l) ?? -2);
      for (let r = 0; r < n; r++) {
        const code = c.codes[rows[r]!]!;
        out[r] = code < 0 ? missingCode : map[code]!;
      }
    }
    return out;
  });
  // Unknown levels (−2).
  let unknown = 0;
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < design.factors.length; k++) {
      const f = design.factors[k]!;
      if (!f.categorical || (factorValues[k] as Int32Array)[r] !== -2) continue;
      if (unknownLevel === 'error') {
        const c = cols[srcOf(f)]!;
        const i = rows[r]!;
        const text = c.kind === 'numeric' ? levelLabel(c.values[i]!) : c.levels[c.codes[i]!]!;
        throw new DataError(table.source, `the level ${quoteCell(text)} was not seen in fitting (levels: ${listNames(f.levels!)}); --unknown-level zero gives it all-zero indicators`, at(table, i, c.name));
      }
      unknown++;
      break;
    }
  }

  // Layout: numeric terms are dense columns, the others blocks.
  const numericTerm = design.terms.map((t) => t.codings.every((c) => c === 'numeric'));
  const denseCols = numericTerm.filter(Boolean).length;
  const widths = design.terms.map((t) => t.factors.reduce((w, k, i) => {
    const f = design.factors[k]!;
    return w * (t.codings[i] === 'numeric' ? 1 : f.levels!.length - (t.codings[i] === 'treatment' ? 1 : 0));
  }, 1));
  const shapes: BlockShape[] = [];
  design.terms.forEach((t, j) => {
    if (!numericTerm[j]) shapes.push({ width: widths[j]!, hasValues: t.codings.some((c) => c === 'numeric') });
  });
  const M = allocModelMatrix(n, denseCols, shapes, extraBytes);
  const order = new Int32Array(design.names.length);
  let dense = 0;
  let block = 0;
  let blockOffset = denseCols;
  let pub = 0;
  design.terms.forEach((t, j) => {
    if (numericTerm[j]) {
      const col = dense++;
      for (let r = 0; r < n; r++) {
        let v = 1;
        for (const k of t.factors) v *= (factorValues[k] as Float64Array)[r]!;
        M.dense[r * denseCols + col] = v;
      }
      order[pub++] = col;
      return;
    }
    const b = M.blocks[block++]!;
    // Mixed radix over the categorical factors in R's variable order, the first fastest.
    const strides = new Array<number>(t.factors.length).fill(0);
    let stride = 1;
    for (const i of t.columnOrder) {
      if (t.codings[i] === 'numeric') continue;
      strides[i] = stride;
      stride *= design.factors[t.factors[i]!]!.levels!.length - (t.codings[i] === 'treatment' ? 1 : 0);
    }
    for (let r = 0; r < n; r++) {
      let code = 0;
      let v = 1;
      for (let i = 0; i < t.factors.length; i++) {
        const k = t.factors[i]!;
        if (t.codings[i] === 'numeric') {
          v *= (factorValues[k] as Float64Array)[r]!;
          continue;
        }
        let level = (factorValues[k] as Int32Array)[r]!;
        if (t.codings[i] === 'treatment') level -= 1;
        if (level < 0) {
          code = -1;
          break;
        }
        code += level * strides[i]!;
      }
      b.codes[r] = code;
      if (b.values !== null) b.values[r] = v;
    }
    for (let u = 0; u < widths[j]!; u++) order[pub++] = blockOffset + u;
    blockOffset += widths[j]!;
  });
  const warnings = unknown > 0 ? [`${unknown} row${unknown === 1 ? ' has a level' : 's have levels'} not seen in fitting; their indicators are all zero`] : [];
  return { matrix: M, order, rows, unknown, warnings };
}

/** Labels of the rows: numbers for a numeric response, level texts for a categorical one. */
function labelsOf(c: Column, rows: Uint32Array): Label[] {
  if (c.kind === 'numeric') return Array.from(rows, (i) => c.values[i]!);
  return Array.from(rows, (i) => c.levels[c.codes[i]!]!);
}

/** Warnings about labels: a text response whose levels include two spellings of one number ("1" and "1.0"). */
function labelWarnings(c: Column, rows: Uint32Array): string[] {
  if (c.kind !== 'categorical') return [];
  const present = new Set<number>();
  for (const i of rows) present.add(c.codes[i]!);
  const byNumber = new Map<number, string[]>();
  for (const k of present) {
    const v = parseCell(c.levels[k]!);
    if (v !== null) byNumber.set(v, [...(byNumber.get(v) ?? []), c.levels[k]!]);
  }
  const out: string[] = [];
  for (const spellings of byNumber.values()) {
    if (spellings.length > 1) {
      out.push(`the labels ${spellings.map((s) => JSON.stringify(s)).join(' and ')} are different classes: the target column has text labels, so labels are compared as text`);
    }
  }
  return out;
}

function weightsOf(table: Table, c: Column, rows: Uint32Array): Float64Array {
  if (c.kind !== 'numeric') throw new DataError(table.source, 'is not a numeric column of weights', { column: c.name });
  const w = Float64Array.from(rows, (i) => c.values[i]!);
  for (let r = 0; r < w.length; r++) {
    const v = w[r]!;
    if (!(v >= 0) || !Number.isFinite(v)) throw new DataError(table.source, `weight ${v} is not a finite number ≥ 0`, at(table, rows[r]!, c.name));
  }
  return w;
}

/**
 * Checks a design read from a model file (untrusted JSON): every field's kind, the terms' indices
 * and codings, and that the terms make exactly `p` columns named by `names`. Returns it typed, or
 * throws a TypeError whose message says what is wrong.
 */
export function checkDesign(v: unknown, p: number): Design {
  const fail = (what: string): never => {
    throw new TypeError(`the design ${what}`);
  };
  const rec = (x: unknown, what: string): Record<string, unknown> => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`${what} must be an object`);
    return x as Record<string, unknown>;
  };
  const str = (x: unknown, what: string): string => (typeof x === 'string' ? x : fail(`${what} must be a string`));
  const strings = (x: unknown, what: string): string[] => {
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string')) fail(`${what} must be an array of strings`);
    return [...(x as string[])];
  };
  const d = rec(v, '');
  const sourcesRaw = d.sources;
  const factorsRaw = d.factors;
  const termsRaw = d.terms;
  if (!Array.isArray(sourcesRaw) || !Array.isArray(factorsRaw) || !Array.isArray(termsRaw)) fail('needs sources, factors and terms arrays');
  const sources: DesignSource[] = (sourcesRaw as unknown[]).map((x, k) => {
    const s = rec(x, `sources[${k}]`);
    if (s.kind !== 'numeric' && s.kind !== 'categorical') fail(`sources[${k}].kind must be "numeric" or "categorical"`);
    if (s.impute !== null && (typeof s.impute !== 'number' || !Number.isFinite(s.impute))) fail(`sources[${k}].impute must be a finite number or null`);
    if (typeof s.missingLevel !== 'boolean') fail(`sources[${k}].missingLevel must be true or false`);
    return { name: str(s.name, `sources[${k}].name`), kind: s.kind as 'numeric' | 'categorical', impute: s.impute as number | null, missingLevel: s.missingLevel as boolean };
  });
  const sourceNames = new Set(sources.map((s) => s.name));
  const factors: DesignFactor[] = (factorsRaw as unknown[]).map((x, k) => {
    const f = rec(x, `factors[${k}]`);
    const column = str(f.column, `factors[${k}].column`);
    if (!sourceNames.has(column)) fail(`factors[${k}] reads a column that is not among its sources`);
    if (typeof f.categorical !== 'boolean') fail(`factors[${k}].categorical must be true or false`);
    const levels = f.levels === null ? null : strings(f.levels, `factors[${k}].levels`);
    if ((levels !== null) !== f.categorical) fail(`factors[${k}] has levels exactly when it is categorical`);
    if (levels !== null && (levels.length < 2 || new Set(levels).size !== levels.length)) fail(`factors[${k}].levels must be 2 or more distinct levels`);
    let values: number[] | null = null;
    if (f.values !== null && f.values !== undefined) {
      if (!Array.isArray(f.values) || f.values.length !== levels?.length || !f.values.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        fail(`factors[${k}].values must be one finite number per level`);
      }
      values = [...(f.values as number[])];
    }
    return { column, categorical: f.categorical as boolean, label: str(f.label, `factors[${k}].label`), levels, values };
  });
  let total = 0;
  const terms = (termsRaw as unknown[]).map((x, j) => {
    const t = rec(x, `terms[${j}]`);
    const fs = t.factors;
    const order = t.columnOrder;
    const codings = t.codings;
    if (!Array.isArray(fs) || !fs.every((k) => Number.isInteger(k) && k >= 0 && k < factors.length)) fail(`terms[${j}].factors must index the factors`);
    const n = (fs as number[]).length;
    if (!Array.isArray(order) || order.length !== n || new Set(order).size !== n || !order.every((k) => Number.isInteger(k) && k >= 0 && k < n)) {
      fail(`terms[${j}].columnOrder must order its factors`);
    }
    if (!Array.isArray(codings) || codings.length !== n) fail(`terms[${j}].codings must give one coding per factor`);
    let width = 1;
    (codings as unknown[]).forEach((c, i) => {
      const f = factors[(fs as number[])[i]!]!;
      if (c === 'numeric' ? f.categorical : !f.categorical || (c !== 'treatment' && c !== 'indicator')) fail(`terms[${j}].codings[${i}] does not fit its factor`);
      if (c !== 'numeric') width *= f.levels!.length - (c === 'treatment' ? 1 : 0);
    });
    total += width;
    return { factors: [...(fs as number[])], columnOrder: [...(order as number[])], codings: [...(codings as Coding[])] };
  });
  const names = strings(d.names, 'names');
  if (names.length !== p || total !== p) fail(`makes ${total} columns with ${names.length} names, but the model has ${p}`);
  if (!MISSING_POLICIES.includes(d.missing as MissingPolicy)) fail(`missing must be one of ${MISSING_POLICIES.join(', ')}`);
  if (typeof d.intercept !== 'boolean') fail('intercept must be true or false');
  return {
    response: str(d.response, 'response'),
    formula: d.formula === null ? null : str(d.formula, 'formula'),
    intercept: d.intercept as boolean,
    weightColumn: d.weightColumn === null ? null : str(d.weightColumn, 'weightColumn'),
    missing: d.missing as MissingPolicy,
    sources,
    factors,
    terms,
    names,
  };
}
