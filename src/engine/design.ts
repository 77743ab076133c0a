import { DataError } from '../data/errors.js';
import { parseCell } from '../data/number.js';
import { quoteCell } from '../data/csvReader.js';
import { type Column, type Table, listNames } from '../data/table.js';
import { type Design, type DesignSpec, MISSING_POLICIES, type MissingPolicy, buildDesign } from '../design/modelFrame.js';
import type { Label } from '../util/labels.js';
import type { BatchSource } from './source.js';

/**
 * The design of a streamed fit, from one pass over the source before any coding: what buildDesign
 * (src/design/modelFrame.ts) computes from a table in memory, computed batch by batch, so that a
 * streamed fit codes its rows exactly as the in-memory fit of the same rows would.
 *
 * The pass finds the rows kept (the missing-value policy), the levels of categorical columns and
 * the distinct values of C(x) columns among them, the means a 'mean' policy imputes (summed in row
 * order, as buildDesign sums them), the classes of the response with their row counts and largest
 * weights, and the same errors and warnings buildDesign gives, naming the source row. The design
 * itself is then made by buildDesign on a small table that has exactly those levels, values and
 * classes (so the formula, the terms, the codings and the names come from the one implementation),
 * with the streamed means put in.
 */

/** What the design pass learned besides the design. */
export interface StreamStats {
  /** Rows of the source. */
  rows: number;
  /** Rows kept (no missing label or weight; no missing feature unless imputed). */
  n: number;
  dropped: number;
  /** The classes of the kept rows' labels, sorted as labels are. */
  classes: Label[];
  /** Kept rows per class. */
  classCounts: Float64Array;
  /** The largest sample weight per class (1 without a weight column). */
  classMaxWeight: Float64Array;
  /** Warnings buildDesign would give (numbers in a text column, labels that differ only in spelling). */
  warnings: string[];
}

/** The roles of a source's columns in a design: the response, the weights, and the feature sources. */
export interface Roles {
  response: string;
  weight: string | null;
  /** Feature columns read (the design's sources), and whether each is used as categorical anywhere. */
  sources: Array<{ name: string; kind: 'numeric' | 'categorical'; asCategorical: boolean }>;
  missing: MissingPolicy;
}

/** A table of `n` rows over given columns (for buildDesign on stand-in data). */
function standIn(source: string, names: readonly string[], columns: Column[], n: number): Table {
  return { source, n, names, columns, warnings: [], locate: (row) => ({ record: row }) };
}

/**
 * The roles of the columns under a spec, from buildDesign on a three-row stand-in of the source's
 * columns (so a formula's errors, an unknown target or feature, are reported as for any table).
 */
export function rolesOf(source: BatchSource, spec: DesignSpec): Roles {
  const n = 3;
  const columns: Column[] = source.schema.map((c) => c.kind === 'numeric'
    ? { kind: 'numeric', name: c.name, values: Float64Array.of(1, 2, 3), missing: 0 }
    : { kind: 'categorical', name: c.name, codes: Int32Array.of(0, 1, 2), levels: ['a', 'b', 'c'], missing: 0 });
  const weight = spec.weightColumn ?? null;
  const wcol = weight === null ? undefined : source.schema.find((c) => c.name === weight);
  if (weight !== null && wcol === undefined) throw new DataError(source.name, `has no weight column ${JSON.stringify(weight)} (columns: ${listNames(source.names)})`);
  if (wcol !== undefined && wcol.kind !== 'numeric') throw new DataError(source.name, 'is not a numeric column of weights', { column: weight! });
  const { design } = buildDesign(standIn(source.name, source.names, columns, n), spec);
  const kindOf = (name: string) => source.schema.find((c) => c.name === name)!.kind;
  return {
    response: design.response,
    weight,
    sources: design.sources.map((s) => ({ name: s.name, kind: kindOf(s.name), asCategorical: design.factors.some((f) => f.column === s.name && f.categorical) })),
    missing: spec.missing ?? 'refuse',
  };
}

/** Per feature source, what the pass accumulates over the kept rows. */
interface SourceAcc {
  /** Kept rows per level (categorical). */
  levelCounts: Float64Array | null;
  /** A kept row with a missing value (categorical, 'mean' policy: the column gets a "missing" level). */
  anyMissing: boolean;
  /** Distinct values (a numeric column used as C(x)). */
  distinct: Set<number> | null;
  /** A NaN in a C(x) column under 'mean' (which has no mean to impute there). */
  nanInLevels: boolean;
  /** Σ and count of the non-missing values, in row order (numeric, 'mean' policy). */
  sum: number;
  count: number;
  /** Where the first kept row with an infinite value is, and the value. */
  infinite: { at: { line?: number; record?: number }; value: number } | null;
}

/**
 * The design pass: reads every batch once, applies the missing-value policy, and returns the
 * design (as buildDesign would make it from the whole table) with the kept rows' statistics.
 * Errors name the source row (`row i`: 0-based, or the file's line for a table read from CSV).
 */
export async function designPass(source: BatchSource, spec: DesignSpec, batchRows: number): Promise<{ design: Design; stats: StreamStats; roles: Roles }> {
  const policy = spec.missing ?? 'refuse';
  if (!MISSING_POLICIES.includes(policy)) throw new RangeError(`missing must be one of ${MISSING_POLICIES.join(', ')}, got ${JSON.stringify(policy)}`);
  const roles = rolesOf(source, spec);
  const schemaOf = (name: string) => source.schema.find((c) => c.name === name)!;
  const respSchema = schemaOf(roles.response);
  const accs: SourceAcc[] = roles.sources.map((s) => ({
    levelCounts: s.kind === 'categorical' ? new Float64Array(schemaOf(s.name).levels!.length) : null,
    anyMissing: false,
    distinct: s.kind === 'numeric' && s.asCategorical ? new Set<number>() : null,
    nanInLevels: false,
    sum: 0,
    count: 0,
    infinite: null,
  }));
  // The response: per level (text) or per value (numbers), kept rows and the largest weight.
  const respCounts = respSchema.kind === 'categorical' ? new Float64Array(respSchema.levels!.length) : null;
  const respMax = respSchema.kind === 'categorical' ? new Float64Array(respSchema.levels!.length) : null;
  const respValues = new Map<number, { count: number; max: number }>();
  // First kept rows with an infinite weight, and with a negative one (set inside the batch callback).
  const weightIssue: { infinite: { at: { line?: number; record?: number }; value: number } | null; bad: { at: { line?: number; record?: number }; value: number } | null } = { infinite: null, bad: null };
  let rows = 0;
  let n = 0;
  let dropped = 0;
  const mean = policy === 'mean';

  await source.batches(batchRows, (batch) => {
    const col = (name: string) => batch.columns.find((c) => c.name === name)!;
    const resp = col(roles.response);
    const w = roles.weight === null ? null : (col(roles.weight) as Column & { kind: 'numeric' });
    const srcs = roles.sources.map((s) => col(s.name));
    // The columns whose missing values drop (or refuse) a row, in buildDesign's order.
    const checked: Column[] = [resp, ...(w === null ? [] : [w]), ...(mean ? [] : srcs)];
    const gappy = checked.filter((c) => c.missing > 0);
    for (let r = 0; r < batch.n; r++) {
      let missingIn: Column | null = null;
      for (const c of gappy) {
        if (c.kind === 'numeric' ? c.values[r] !== c.values[r] : c.codes[r]! < 0) {
          missingIn = c;
          break;
        }
      }
      if (missingIn !== null) {
        if (policy === 'refuse') {
          throw new DataError(source.name, 'missing value; --missing drop leaves such rows out, --missing mean imputes them (API: missing: "drop" | "mean")', { ...batch.locate(r), column: missingIn.name });
        }
        dropped++;
        continue;
      }
      n++;
      const wi = w === null ? 1 : w.values[r]!;
      if (w !== null) {
        if (wi - wi !== 0 && weightIssue.infinite === null) weightIssue.infinite = { at: batch.locate(r), value: wi };
        else if (!(wi >= 0) && weightIssue.bad === null) weightIssue.bad = { at: batch.locate(r), value: wi };
      }
      if (resp.kind === 'categorical') {
        const k = resp.codes[r]!;
        respCounts![k]! += 1;
        if (wi > respMax![k]!) respMax![k] = wi;
      } else {
        const v = resp.values[r]! === 0 ? 0 : resp.values[r]!;
        const e = respValues.get(v);
        if (e === undefined) respValues.set(v, { count: 1, max: wi > 0 ? wi : 0 });
        else {
          e.count++;
          if (wi > e.max) e.max = wi;
        }
      }
      srcs.forEach((c, k) => {
        const a = accs[k]!;
        if (c.kind === 'categorical') {
          const code = c.codes[r]!;
          if (code >= 0) a.levelCounts![code]! += 1;
          else a.anyMissing = true;
          return;
        }
        const v = c.values[r]!;
        if (v !== v) {
          if (a.distinct !== null) a.nanInLevels = true;
          return;
        }
        if (v - v !== 0 && a.infinite === null) a.infinite = { at: batch.locate(r), value: v };
        if (a.distinct !== null) a.distinct.add(v === 0 ? 0 : v);
        if (mean) {
          a.sum += v;
          a.count++;
        }
      });
    }
    rows += batch.n;
  });

  const used = [roles.response, ...roles.sources.map((s) => s.name)];
  if (n === 0) {
    throw new DataError(source.name, `every one of its ${rows} rows has a missing value in a column the model uses (${listNames(used)}), so no row is left to fit`);
  }
  roles.sources.forEach((s, k) => {
    const inf = accs[k]!.infinite;
    if (inf !== null) throw new DataError(source.name, `value ${inf.value} is infinite; every value must be a finite number`, { ...inf.at, column: s.name });
  });
  const { infinite: weightInfinite, bad: weightBad } = weightIssue;
  if (weightInfinite !== null) throw new DataError(source.name, `value ${weightInfinite.value} is infinite; every value must be a finite number`, { ...weightInfinite.at, column: roles.weight! });
  if (mean) {
    roles.sources.forEach((s, k) => {
      if (s.kind === 'numeric' && accs[k]!.count === 0) throw new DataError(source.name, 'has no value in the rows fitted, so its mean cannot be imputed', { column: s.name });
    });
    roles.sources.forEach((s, k) => {
      if (accs[k]!.nanInLevels) throw new DataError(source.name, `C(${s.name}) treats a numeric column as categorical, whose missing values have no mean to impute; use --missing drop`, { column: s.name });
    });
  }
  if (weightBad !== null) throw new DataError(source.name, `weight ${weightBad.value} is not a finite number ≥ 0`, { ...weightBad.at, column: roles.weight! });

  // The classes, as buildDesign's classesOf sorts them, with their counts and largest weights.
  let classes: Label[];
  let classCounts: number[];
  let classMax: number[];
  if (respCounts !== null) {
    const present = respSchema.levels!.map((_, k) => k).filter((k) => respCounts[k]! > 0);
    classes = present.map((k) => respSchema.levels![k]!);
    classCounts = present.map((k) => respCounts[k]!);
    classMax = present.map((k) => (roles.weight === null ? 1 : respMax![k]!));
  } else {
    const values = [...respValues.keys()].sort((a, b) => a - b);
    classes = values;
    classCounts = values.map((v) => respValues.get(v)!.count);
    classMax = values.map((v) => (roles.weight === null ? 1 : respValues.get(v)!.max));
  }

  const design = standInDesign(source, spec, roles, accs, classes, schemaOf);
  const warnings = [
    ...roles.sources.map((s, k) => numericLookingWarning(s.name, schemaOf(s.name).levels, accs[k]!.levelCounts)).filter((x): x is string => x !== null),
    ...labelWarnings(classes),
  ];
  return {
    design,
    roles,
    stats: { rows, n, dropped, classes, classCounts: Float64Array.from(classCounts), classMaxWeight: Float64Array.from(classMax), warnings },
  };
}

/**
 * The design from the pass's findings: buildDesign on a stand-in table whose rows carry exactly the
 * kept rows' levels (a "missing" row where the 'mean' policy gives a column that level), C(x)
 * values and classes; then the streamed means put in as the imputed values.
 */
function standInDesign(
  source: BatchSource, spec: DesignSpec, roles: Roles, accs: SourceAcc[], classes: Label[],
  schemaOf: (name: string) => BatchSource['schema'][number],
): Design {
  const mean = roles.missing === 'mean';
  const levelsOf = accs.map((a, k) => {
    if (a.levelCounts === null) return null;
    const all = schemaOf(roles.sources[k]!.name).levels!;
    return all.filter((_, j) => a.levelCounts![j]! > 0);
  });
  let R = Math.max(2, classes.length);
  accs.forEach((a, k) => {
    if (levelsOf[k] !== null) R = Math.max(R, levelsOf[k]!.length + (mean && a.anyMissing ? 1 : 0));
    if (a.distinct !== null) R = Math.max(R, a.distinct.size);
  });
  const columns: Column[] = source.schema.map((c) => {
    const k = roles.sources.findIndex((s) => s.name === c.name);
    if (c.name === roles.response) {
      if (c.kind === 'categorical') return { kind: 'categorical', name: c.name, levels: classes as string[], codes: Int32Array.from({ length: R }, (_, r) => r % classes.length), missing: 0 };
      return { kind: 'numeric', name: c.name, values: Float64Array.from({ length: R }, (_, r) => classes[r % classes.length] as number), missing: 0 };
    }
    if (k >= 0 && levelsOf[k] !== null) {
      const levels = levelsOf[k]!;
      const withMissing = mean && accs[k]!.anyMissing;
      const codes = Int32Array.from({ length: R }, (_, r) => (withMissing && r === R - 1) || levels.length === 0 ? -1 : r % levels.length);
      let missing = 0;
      for (const x of codes) if (x < 0) missing++;
      return { kind: 'categorical', name: c.name, levels, codes, missing };
    }
    if (k >= 0 && accs[k]!.distinct !== null && accs[k]!.distinct!.size > 0) {
      const values = [...accs[k]!.distinct!];
      return { kind: 'numeric', name: c.name, values: Float64Array.from({ length: R }, (_, r) => values[r % values.length]!), missing: 0 };
    }
    if (c.kind === 'numeric') return { kind: 'numeric', name: c.name, values: new Float64Array(R).fill(1), missing: 0 };
    return { kind: 'categorical', name: c.name, levels: ['x'], codes: new Int32Array(R), missing: 0 };
  });
  const { design } = buildDesign(standIn(source.name, source.names, columns, R), spec);
  if (mean) {
    for (const s of design.sources) {
      const k = roles.sources.findIndex((x) => x.name === s.name);
      if (s.kind === 'numeric' && k >= 0) s.impute = accs[k]!.sum / accs[k]!.count;
    }
  }
  return design;
}

/** buildDesign's warning for a text column most of whose kept values are numbers. */
function numericLookingWarning(name: string, levels: readonly string[] | null, counts: Float64Array | null): string | null {
  if (levels === null || counts === null) return null;
  let count = 0;
  let total = 0;
  let example = -1;
  const numeric = levels.map((l) => parseCell(l) !== null);
  if (!numeric.some(Boolean)) return null;
  levels.forEach((_, k) => {
    if (counts[k]! === 0) return;
    total += counts[k]!;
    if (numeric[k]) count += counts[k]!;
    else if (example < 0) example = k;
  });
  if (count === 0 || 2 * count < total || example < 0) return null;
  const text = levels[example]!;
  return `column ${JSON.stringify(name)} is treated as categorical: ${count} of its ${total} values are numbers, but ${quoteCell(text)} is not; if ${quoteCell(text)} marks a missing value, pass --na-values ${JSON.stringify(text)}`;
}

/** buildDesign's warning for text labels that are one number spelled twice ("1" and "1.0"). */
function labelWarnings(classes: readonly Label[]): string[] {
  const byNumber = new Map<number, string[]>();
  for (const c of classes) {
    if (typeof c !== 'string') continue;
    const v = parseCell(c);
    if (v !== null) byNumber.set(v, [...(byNumber.get(v) ?? []), c]);
  }
  const out: string[] = [];
  for (const spellings of byNumber.values()) {
    if (spellings.length > 1) out.push(`the labels ${spellings.map((s) => JSON.stringify(s)).join(' and ')} are different classes: the target column has text labels, so labels are compared as text`);
  }
  return out;
}
