import { type Arena, arenaOf } from '../backend/arena.js';
import { type BlockShape, type ModelMatrix, allocModelMatrix, takeModelRows } from '../backend/modelMatrix.js';
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
  /** Labels of the rows (evaluation), and weights. */
  labels: Label[] | null;
  /**
   * The response as classes (the distinct labels of the rows, sorted as labels are: numerically, or
   * by their UTF-8 bytes) and each row's class index: what a fit needs, made without a label array.
   */
  response: { classes: Label[]; yIdx: Int32Array } | null;
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

/**
 * The rows of `all` with no missing value in any of `columns`: a missing one is an error naming its
 * line when `refuse`, else the row is dropped. Columns without missing values are not looked at.
 */
function keepRows(table: Table, all: Uint32Array, columns: readonly Column[], refuse: boolean): { kept: Uint32Array; dropped: number } {
  const gappy = columns.filter((c) => c.missing > 0);
  if (gappy.length === 0) return { kept: all, dropped: 0 };
  const ok = new Uint8Array(all.length).fill(1);
  let dropped = 0;
  let first = all.length;
  let firstColumn = '';
  for (const c of gappy) {
    for (let r = 0; r < all.length; r++) {
      if (!isMissing(c, all[r]!)) continue;
      if (r < first) {
        first = r;
        firstColumn = c.name;
      }
      if (ok[r] === 1) dropped++;
      ok[r] = 0;
    }
  }
  // Refused: the first row in the table's order with a missing value, and its first such column.
  if (refuse) {
    if (first < all.length) throw missingError(table, all[first]!, columns.find((c) => isMissing(c, all[first]!))?.name ?? firstColumn);
    return { kept: all, dropped: 0 };
  }
  const kept = new Uint32Array(all.length - dropped);
  for (let r = 0, w = 0; r < all.length; r++) if (ok[r] === 1) kept[w++] = all[r]!;
  return { kept, dropped };
}

/** Refuses an infinite value in a numeric column among the rows used, naming its line. */
function checkFinite(table: Table, c: Column, rows: Uint32Array): void {
  if (c.kind !== 'numeric') return;
  const v = c.values;
  // Infinities only (NaN is a missing value, dealt with by the policy): x − x is NaN for ±∞ and
  // for NaN, and only NaN differs from itself. Two tight loops: all rows, or a subset.
  let bad = -1;
  if (allRows(rows, v.length)) {
    for (let r = 0; r < v.length; r++) {
      const x = v[r]!;
      if (x - x !== 0 && x === x) { bad = r; break; }
    }
  } else {
    for (let r = 0; r < rows.length; r++) {
      const x = v[rows[r]!]!;
      if (x - x !== 0 && x === x) { bad = r; break; }
    }
  }
  if (bad >= 0) {
    const x = v[rows[bad]!]!;
    throw new DataError(table.source, `value ${x} is infinite; every value must be a finite number`, at(table, rows[bad]!, c.name));
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
  if (!numeric.some(Boolean)) return null;
  for (let r = 0; r < rows.length; r++) {
    const k = c.codes[rows[r]!]!;
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
 * A frame made earlier from a table, under a design learnt on a superset of the rows to come
 * (crossValidate's frame of every row, for the folds). Given to buildDesign or applyDesign, it
 * saves work whenever the design learnt (or applied) is the same, and the rows are among its rows:
 * the rows were checked for infinite values when it was made, and the model matrix's rows are
 * copied from it, the same values frameRows would compute, since a row's values depend only on the
 * design and the row.
 */
export interface BaseFrame {
  table: Table;
  design: Design;
  frame: Frame;
  /**
   * Where the copies go: each copy first gives back everything allocated in this arena since
   * `start`, so that one fold's matrix reuses the memory of the one before (whose frame must no
   * longer be used). Null: each copy in a fresh arena.
   */
  scratch?: { arena: Arena; start: number } | null;
  /**
   * A fit of every row (buildDesign) gets the base's matrix itself, not a copy: the caller's
   * promise that the fit will not change it (no `standardize`, which scales the matrix in place).
   */
  share?: boolean;
}

/**
 * Builds the design of `spec` on rows `rows` of `table` (all rows when null) and its frame: the
 * model matrix (with `extraBytes` of room in its arena for the objective), labels and weights.
 * With `base`, rows whose design is the base's are copied from it (BaseFrame).
 */
export function buildDesign(
  table: Table, spec: DesignSpec, rows: Uint32Array | null = null, extraBytes = 0, base: BaseFrame | null = null,
): { design: Design; frame: Frame } {
  const missing = spec.missing ?? 'refuse';
  if (!MISSING_POLICIES.includes(missing)) throw new RangeError(`missing must be one of ${MISSING_POLICIES.join(', ')}, got ${JSON.stringify(missing)}`);
  const terms = termsOf(spec, table);
  const response = terms.response!;
  const coded = codeTerms(terms);
  const weightColumn = spec.weightColumn ?? null;
  const all = rows ?? everyRow(table.n);

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
  const checked = [responseCol, ...(weightCol === null ? [] : [weightCol]), ...(missing === 'mean' ? [] : sources)];
  const { kept, dropped } = keepRows(table, all, checked, missing === 'refuse');
  if (kept.length === 0) {
    throw new DataError(table.source, `every one of its ${all.length} rows has a missing value in a column the model uses (${listNames([response, ...sourceNames])}), so no row is left to fit`);
  }
  const inBase = base !== null && base.table === table ? positionsIn(base.frame.rows, kept) : null;
  if (inBase === null) {
    for (const c of sources) checkFinite(table, c, kept);
    if (weightCol !== null) checkFinite(table, weightCol, kept);
  }
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
      for (let r = 0; r < kept.length; r++) {
        const v = c.values[kept[r]!]!;
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
  const frame = (inBase !== null && sameDesign(design, base!.design) ? baseRows(base!, kept, inBase, extraBytes, true) : null)
    ?? frameRows(design, table, kept, 'error', extraBytes);
  const warnings = [...columnWarnings, ...frame.warnings, ...labelWarnings(responseCol, kept)];
  const weights = weightCol === null ? null : weightsOf(table, weightCol, kept);
  return { design, frame: { ...frame, dropped, labels: null, response: classesOf(responseCol, kept), weights, warnings } };
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
  /** A frame of the table under the same design to copy rows from (see BaseFrame). */
  base?: BaseFrame | null;
}

/**
 * The frame of new data under a fitted design: the same terms, levels and imputations. Rows with a
 * missing value are an error under 'refuse', left out under 'drop' (the frame's `rows` say which
 * rows remain), imputed under 'mean'.
 */
export function applyDesign(design: Design, table: Table, options: ApplyOptions = {}): Frame {
  const all = options.rows ?? everyRow(table.n);
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
  const checked = [
    ...(responseCol === null ? [] : [responseCol]), ...(weightCol === null ? [] : [weightCol]),
    ...sources.filter((_, k) => !(design.missing === 'mean' && canImpute(design.sources[k]!))),
  ];
  const { kept, dropped } = keepRows(table, all, checked, design.missing === 'refuse');
  const base = options.base ?? null;
  const inBase = base !== null && base.table === table && sameDesign(design, base.design) ? positionsIn(base.frame.rows, kept) : null;
  if (inBase === null) for (const c of sources) checkFinite(table, c, kept);
  const frame = (inBase !== null ? baseRows(base!, kept, inBase, options.extraBytes ?? 0) : null)
    ?? frameRows(design, table, kept, options.unknownLevel ?? 'error', options.extraBytes ?? 0);
  return {
    ...frame,
    dropped,
    labels: responseCol === null ? null : labelsOf(responseCol, kept),
    response: null,
    weights: weightCol === null ? null : weightsOf(table, weightCol, kept),
  };
}

/**
 * Where each of `rows` is among `have` (both increasing, as frames' rows are), or null when they
 * are not all there.
 */
function positionsIn(have: Uint32Array, rows: Uint32Array): Uint32Array | null {
  const pos = new Uint32Array(rows.length);
  let h = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    if (r > 0 && i <= rows[r - 1]!) return null;
    while (h < have.length && have[h]! < i) h++;
    if (h === have.length || have[h] !== i) return null;
    pos[r] = h;
  }
  return pos;
}

/** Whether two designs are the same, value for value (−0 and 0 told apart: imputed values). */
function sameDesign(a: Design, b: Design): boolean {
  return a === b || sameValue(a, b);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The frame of rows `rows` (at positions `pos` of the base frame's rows) copied from the base frame
 * (see BaseFrame): no row of it has a level its design lacks, so none is unknown.
 */
function baseRows(base: BaseFrame, rows: Uint32Array, pos: Uint32Array, extraBytes: number, fitting = false): Omit<Frame, 'dropped' | 'labels' | 'response' | 'weights'> & { warnings: string[] } {
  // pos is increasing: as long as the base's rows, it is every one of them.
  const shared = fitting && base.share === true && pos.length === base.frame.rows.length;
  const scratch = base.scratch ?? null;
  if (!shared && scratch !== null) scratch.arena.release(scratch.start);
  const matrix = shared ? base.frame.matrix : takeModelRows(base.frame.matrix, pos, extraBytes, scratch?.arena ?? null);
  return { matrix, order: Int32Array.from(base.frame.order), rows, unknown: 0, warnings: [] };
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
  const present = presentLevels(c, rows);
  const levels = c.levels.filter((_, k) => present[k] === 1);
  if (src.missingLevel) levels.push(MISSING_LEVEL);
  return { ...f, levels, values: null };
}

/** Which levels of a categorical column occur in the rows: from its counts when every row is used, else by a scan. */
function presentLevels(c: Column & { kind: 'categorical' }, rows: Uint32Array): Uint8Array {
  const present = new Uint8Array(c.levels.length);
  if (c.counts !== undefined && allRows(rows, c.codes.length)) {
    for (let k = 0; k < present.length; k++) present[k] = c.counts[k]! > 0 ? 1 : 0;
    return present;
  }
  const codes = c.codes;
  for (let r = 0; r < rows.length; r++) {
    const k = codes[rows[r]!]!;
    if (k >= 0) present[k] = 1;
  }
  return present;
}

/** A design level's marker for a level the fit did not see (kept apart from "no column", −1). */
const UNSEEN = -2;

/**
 * A categorical factor's levels for the rows, without a per-row array where it can be avoided:
 * the design level of row r is lut[codes[i] + 1] with i = rows[r] (or r when `every`), codes being
 * the column's own level codes (−1 missing). lut[0] is the level of a missing value (the design's
 * missing level, else −1); UNSEEN marks a level the fit did not see.
 */
interface FactorCodes {
  codes: Int32Array;
  lut: Int32Array;
  every: boolean;
}

function factorCodes(f: DesignFactor, c: Column, src: DesignSource, rows: Uint32Array): FactorCodes {
  const index = new Map<string, number>(f.levels!.map((l, k) => [l, k]));
  const missingLevel = src.missingLevel ? index.get(MISSING_LEVEL)! : -1;
  if (c.kind === 'categorical') {
    const lut = new Int32Array(c.levels.length + 1);
    lut[0] = missingLevel;
    c.levels.forEach((l, k) => {
      lut[k + 1] = index.get(l) ?? UNSEEN;
    });
    return { codes: c.codes, lut, every: allRows(rows, c.codes.length) };
  }
  // A numeric column: C(x) by value, else (a table of records with numbers in a column the model
  // has as text) by the number's text. Per-row codes are made: L for a value not seen.
  const L = f.levels!.length;
  const byValue = f.values === null ? null : new Map<number, number>(f.values.map((v, k) => [v, k]));
  const codes = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const v = c.values[rows[r]!]!;
    codes[r] = Number.isNaN(v) ? -1 : ((byValue === null ? index.get(levelLabel(v)) : byValue.get(v === 0 ? 0 : v)) ?? L);
  }
  const lut = Int32Array.from({ length: L + 2 }, (_, u) => (u === 0 ? missingLevel : u === L + 1 ? UNSEEN : u - 1));
  return { codes, lut, every: true };
}

/**
 * A block's codes: Σ over its categorical factors of lut[code + 1], made −1 where negative (no
 * column). Factors read over every row are added by the kernel module (the column's codes copied
 * into kernel memory once); a subset of rows is gathered here.
 */
function codeBlock(codes: Int32Array, parts: ReadonlyArray<{ fc: FactorCodes; lut: Int32Array }>, rows: Uint32Array): void {
  const n = codes.length;
  const arena = arenaOf(codes);
  if (arena !== null && parts.every((p) => p.fc.every)) {
    const mark = arena.mark();
    try {
      const srcP = arena.alloc(n * 4, false);
      const lutP = arena.alloc(Math.max(...parts.map((p) => p.lut.length)) * 4, false);
      const add = arena.fn('addLookups');
      parts.forEach(({ fc, lut }, q) => {
        arena.i32(srcP, n).set(fc.codes.subarray(0, n));
        arena.i32(lutP, lut.length).set(lut);
        add(codes.byteOffset, srcP, n, lutP, q === 0 ? 0 : 1, q === parts.length - 1 ? 1 : 0);
      });
    } finally {
      arena.release(mark);
    }
    return;
  }
  for (const [q, { fc, lut }] of parts.entries()) {
    const src = fc.codes;
    if (q === 0 && fc.every) for (let r = 0; r < n; r++) codes[r] = lut[src[r]! + 1]!;
    else if (q === 0) for (let r = 0; r < n; r++) codes[r] = lut[src[rows[r]!]! + 1]!;
    else if (fc.every) for (let r = 0; r < n; r++) codes[r] = codes[r]! + lut[src[r]! + 1]!;
    else for (let r = 0; r < n; r++) codes[r] = codes[r]! + lut[src[rows[r]!]! + 1]!;
  }
  for (let r = 0; r < n; r++) if (codes[r]! < 0) codes[r] = -1;
}

/** Row r's code in a factor's codes (see FactorCodes). */
function codeAt(fc: FactorCodes, rows: Uint32Array, r: number): number {
  return fc.codes[fc.every ? r : rows[r]!]!;
}

/** The row indices 0 … n − 1. */
function everyRow(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** Whether rows (ascending, distinct) are every row of a table of n rows: then no gather is needed. */
function allRows(rows: Uint32Array, n: number): boolean {
  return rows.length === n && (n === 0 || rows[n - 1] === n - 1);
}

/**
 * Per row, a numeric factor's value (missing ones imputed under the 'mean' policy): the column
 * itself when every row is used and nothing is imputed (read only), else a gathered copy.
 */
function factorValues(c: Column, src: DesignSource, rows: Uint32Array): Float64Array {
  if (c.kind !== 'numeric') throw new Error(`column ${c.name} is not numeric`);
  const values = c.values;
  const impute = src.impute !== null && c.missing > 0;
  if (!impute && allRows(rows, values.length)) return values;
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = values[rows[r]!]!;
  if (impute) for (let r = 0; r < rows.length; r++) if (Number.isNaN(out[r]!)) out[r] = src.impute!;
  return out;
}

/**
 * A dense column of the model matrix: row r's value is values[rows[r]] (a table's column read
 * through the rows framed), or values[r] when rows is null (values already per row).
 */
interface PlainColumn {
  col: number;
  values: Float64Array;
  rows: Uint32Array | null;
}

/**
 * Writes the dense columns into the row-major dense block, 256 rows at a time so that the block's
 * rows being written stay in cache while every column is read (a plain column at a time writes
 * one value per cache line). A table's column is read through the rows directly, without a
 * gathered copy first.
 */
function fillDense(out: Float64Array, d: number, columns: readonly PlainColumn[], n: number): void {
  const TILE = 256;
  for (let r0 = 0; r0 < n; r0 += TILE) {
    const r1 = Math.min(n, r0 + TILE);
    for (const { col, values, rows } of columns) {
      if (rows === null || allRows(rows, values.length)) for (let r = r0, o = r0 * d + col; r < r1; r++, o += d) out[o] = values[r]!;
      else for (let r = r0, o = r0 * d + col; r < r1; r++, o += d) out[o] = values[rows[r]!]!;
    }
  }
}

/**
 * The model matrix of rows `rows` under a design. Unknown levels: an error naming the row, or
 * no column (all-zero indicators) counted in `unknown`.
 */
function frameRows(design: Design, table: Table, rows: Uint32Array, unknownLevel: 'error' | 'zero', extraBytes: number): Omit<Frame, 'dropped' | 'labels' | 'response' | 'weights'> & { warnings: string[] } {
  const n = rows.length;
  const cols = design.sources.map((s) => column(table, s.name, 'model'));
  const srcOf = design.factors.map((f) => design.sources.findIndex((s) => s.name === f.column));
  for (const [k, f] of design.factors.entries()) {
    if (!f.categorical && cols[srcOf[k]!]!.kind !== 'numeric') throw new DataError(table.source, 'is not numeric', { column: f.column });
  }
  // Each factor's data, made once: level codes of categorical factors, values of numeric ones.
  const levels = design.factors.map((f, k) => (f.categorical ? factorCodes(f, cols[srcOf[k]!]!, design.sources[srcOf[k]!]!, rows) : null));
  // Numeric factors' values per row, gathered when a term needs them as an array (products,
  // blocks, imputation); a plain numeric column is read through `rows` by fillDense instead.
  const gathered = new Map<number, Float64Array>();
  const valuesOf = (k: number): Float64Array => {
    let v = gathered.get(k);
    if (v === undefined) {
      v = factorValues(cols[srcOf[k]!]!, design.sources[srcOf[k]!]!, rows);
      gathered.set(k, v);
    }
    return v;
  };

  // Unknown levels: an error naming the first, or counted (rows with any). Only factors whose
  // column has a level the fit did not see are looked at row by row.
  let unknown = 0;
  const unseenRow = new Uint8Array(levels.some((l) => l !== null && l.lut.includes(UNSEEN)) ? n : 0);
  for (const [k, fc] of levels.entries()) {
    if (fc === null || !fc.lut.includes(UNSEEN)) continue;
    for (let r = 0; r < n; r++) {
      if (fc.lut[codeAt(fc, rows, r) + 1] !== UNSEEN) continue;
      if (unknownLevel === 'error') {
        const f = design.factors[k]!;
        const c = cols[srcOf[k]!]!;
        const i = rows[r]!;
        const text = c.kind === 'numeric' ? levelLabel(c.values[i]!) : c.levels[c.codes[i]!]!;
        throw new DataError(table.source, `the level ${quoteCell(text)} was not seen in fitting (levels: ${listNames(f.levels!)}); --unknown-level zero gives it all-zero indicators`, at(table, i, c.name));
      }
      if (unseenRow[r] === 0) unknown++;
      unseenRow[r] = 1;
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
  const plain: PlainColumn[] = [];
  design.terms.forEach((t, j) => {
    const numericFactors = t.factors.filter((_, i) => t.codings[i] === 'numeric');
    if (numericTerm[j] && numericFactors.length === 1) {
      const k = numericFactors[0]!;
      const c = cols[srcOf[k]!]!;
      const col = dense++;
      if (c.kind === 'numeric' && (design.sources[srcOf[k]!]!.impute === null || c.missing === 0)) plain.push({ col, values: c.values, rows });
      else plain.push({ col, values: valuesOf(k), rows: null });
      order[pub++] = col;
      return;
    }
    const numeric = numericFactors.map((k) => valuesOf(k));
    if (numericTerm[j]) {
      // A product of numeric factors, computed into its own column first.
      const col = dense++;
      const product = Float64Array.from(numeric[0]!);
      for (const v of numeric.slice(1)) for (let r = 0; r < n; r++) product[r] = product[r]! * v[r]!;
      plain.push({ col, values: product, rows: null });
      order[pub++] = col;
      return;
    }
    const b = M.blocks[block++]!;
    // The code of a row: Σ over categorical factors of (design level − shift)·stride, a mixed radix
    // in R's variable order (the first fastest); treatment coding shifts by one, and its reference
    // level (and a missing or unseen level) means no column: a large negative term keeps the sum < 0.
    const NONE = -(2 ** 30);
    const parts: Array<{ fc: FactorCodes; lut: Int32Array }> = [];
    let stride = 1;
    for (const i of t.columnOrder) {
      if (t.codings[i] === 'numeric') continue;
      const f = design.factors[t.factors[i]!]!;
      const fc = levels[t.factors[i]!]!;
      const shift = t.codings[i] === 'treatment' ? 1 : 0;
      // The factor's contribution by column code: its design level (less the shift) times the
      // stride, or NONE for no column (reference level, missing or unseen).
      const lut = Int32Array.from(fc.lut, (level) => (level < shift ? NONE : (level - shift) * stride));
      parts.push({ fc, lut });
      stride *= f.levels!.length - shift;
    }
    codeBlock(b.codes, parts, rows);
    if (b.values !== null) {
      const out = b.values;
      out.set(numeric[0]!);
      for (const v of numeric.slice(1)) for (let r = 0; r < n; r++) out[r] = out[r]! * v[r]!;
    }
    for (let u = 0; u < widths[j]!; u++) order[pub++] = blockOffset + u;
    blockOffset += widths[j]!;
  });
  fillDense(M.dense, denseCols, plain, n);
  const warnings = unknown > 0 ? [`${unknown} row${unknown === 1 ? ' has a level' : 's have levels'} not seen in fitting; their indicators are all zero`] : [];
  return { matrix: M, order, rows, unknown, warnings };
}

/** Labels of the rows: numbers for a numeric response, level texts for a categorical one. */
function labelsOf(c: Column, rows: Uint32Array): Label[] {
  const out = new Array<Label>(rows.length);
  if (c.kind === 'numeric') for (let r = 0; r < rows.length; r++) out[r] = c.values[rows[r]!]!;
  else for (let r = 0; r < rows.length; r++) out[r] = c.levels[c.codes[rows[r]!]!]!;
  return out;
}

/**
 * The classes of the rows' labels and each row's class index, without a label per row: a
 * categorical response's levels present (already in byte order), a numeric one's distinct values
 * in increasing order. Rows must have no missing label.
 */
function classesOf(c: Column, rows: Uint32Array): { classes: Label[]; yIdx: Int32Array } {
  const n = rows.length;
  if (c.kind === 'categorical') {
    const present = presentLevels(c, rows);
    const rank = new Int32Array(c.levels.length).fill(-1);
    const classes: Label[] = [];
    c.levels.forEach((l, k) => {
      if (present[k] === 1) {
        rank[k] = classes.length;
        classes.push(l);
      }
    });
    // Every row, every level present: the codes are the class indices already.
    if (classes.length === c.levels.length && allRows(rows, c.codes.length)) return { classes, yIdx: c.codes };
    const codes = c.codes;
    const yIdx = new Int32Array(n);
    for (let r = 0; r < n; r++) yIdx[r] = rank[codes[rows[r]!]!]!;
    return { classes, yIdx };
  }
  const values = c.values;
  const yIdx = new Int32Array(n);
  const distinct = new Set<number>();
  for (let r = 0; r < n; r++) distinct.add(values[rows[r]!]! === 0 ? 0 : values[rows[r]!]!);
  const classes = [...distinct].sort((a, b) => a - b);
  const index = new Map(classes.map((v, k) => [v, k]));
  for (let r = 0; r < n; r++) {
    const v = values[rows[r]!]!;
    yIdx[r] = index.get(v === 0 ? 0 : v)!;
  }
  return { classes, yIdx };
}

/** Warnings about labels: a text response whose levels include two spellings of one number ("1" and "1.0"). */
function labelWarnings(c: Column, rows: Uint32Array): string[] {
  if (c.kind !== 'categorical') return [];
  const present = presentLevels(c, rows);
  const byNumber = new Map<number, string[]>();
  for (let k = 0; k < present.length; k++) {
    if (present[k] === 0) continue;
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
