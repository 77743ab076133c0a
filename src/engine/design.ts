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
export function rolesOf(source: SourceSchema, spec: DesignSpec): Roles {
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

/**
 * Distinct numbers with their counts and largest weights (a numeric label's classes): a label has
 * few values, so the last one found and a short list are looked at before a map.
 */
class ValueCounts {
  readonly values: number[] = [];
  readonly counts: number[] = [];
  readonly max: number[] = [];
  private last = -1;
  private readonly index = new Map<number, number>();

  /** Counts value v (−0 as 0) with weight w. */
  add(v: number, w: number): void {
    const x = v === 0 ? 0 : v;
    let k = this.last >= 0 && this.values[this.last] === x ? this.last : -1;
    if (k < 0) {
      if (this.values.length <= 16) k = this.values.indexOf(x);
      else k = this.index.get(x) ?? -1;
    }
    if (k < 0) {
      k = this.values.length;
      this.values.push(x);
      this.counts.push(0);
      this.max.push(0);
      this.index.set(x, k);
    }
    this.last = k;
    this.counts[k]! += 1;
    if (w > this.max[k]!) this.max[k] = w;
  }
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
  const respValues = new ValueCounts();
  // First kept rows with an infinite weight, and with a negative one (set inside the batch callback).
  const weightIssue: { infinite: { at: { line?: number; record?: number }; value: number } | null; bad: { at: { line?: number; record?: number }; value: number } | null } = { infinite: null, bad: null };
  let rows = 0;
  let n = 0;
  let dropped = 0;
  const mean = policy === 'mean';

  await source.batches(batchRows, (batch) => {
    const m = batch.n;
    const col = (name: string) => batch.columns.find((c) => c.name === name)!;
    const resp = col(roles.response);
    const w = roles.weight === null ? null : (col(roles.weight) as Column & { kind: 'numeric' });
    const srcs = roles.sources.map((s) => col(s.name));
    // The rows kept: the columns whose missing values drop (or refuse) a row, in buildDesign's order.
    const checked: Column[] = [resp, ...(w === null ? [] : [w]), ...(mean ? [] : srcs)];
    const gappy = checked.filter((c) => c.missing > 0);
    let keep: Uint8Array | null = null;
    if (gappy.length > 0) {
      keep = new Uint8Array(m).fill(1);
      for (let r = 0; r < m; r++) {
        const missingIn = gappy.find((c) => (c.kind === 'numeric' ? c.values[r] !== c.values[r] : c.codes[r]! < 0));
        if (missingIn === undefined) continue;
        if (policy === 'refuse') {
          throw new DataError(source.name, 'missing value; --missing drop leaves such rows out, --missing mean imputes them (API: missing: "drop" | "mean")', { ...batch.locate(r), column: missingIn.name });
        }
        keep[r] = 0;
        dropped++;
      }
    }
    for (let r = 0; r < m; r++) if (keep === null || keep[r] === 1) n++;
    // Column by column over the kept rows, in row order.
    if (w !== null) {
      const wv = w.values;
      for (let r = 0; r < m; r++) {
        if (keep !== null && keep[r] === 0) continue;
        const wi = wv[r]!;
        if (wi - wi !== 0 && weightIssue.infinite === null) weightIssue.infinite = { at: batch.locate(r), value: wi };
        else if (!(wi >= 0) && weightIssue.bad === null) weightIssue.bad = { at: batch.locate(r), value: wi };
      }
    }
    const weightOf = (r: number) => (w === null ? 1 : w.values[r]!);
    if (resp.kind === 'categorical') {
      const codes = resp.codes;
      for (let r = 0; r < m; r++) {
        if (keep !== null && keep[r] === 0) continue;
        const k = codes[r]!;
        respCounts![k]! += 1;
        const wi = weightOf(r);
        if (wi > respMax![k]!) respMax![k] = wi;
      }
    } else {
      const values = resp.values;
      for (let r = 0; r < m; r++) if (keep === null || keep[r] === 1) respValues.add(values[r]!, weightOf(r));
    }
    srcs.forEach((c, k) => {
      const a = accs[k]!;
      if (c.kind === 'categorical') {
        const codes = c.codes;
        const counts = a.levelCounts!;
        for (let r = 0; r < m; r++) {
          if (keep !== null && keep[r] === 0) continue;
          const code = codes[r]!;
          if (code >= 0) counts[code]! += 1;
          else a.anyMissing = true;
        }
        return;
      }
      const values = c.values;
      for (let r = 0; r < m; r++) {
        if (keep !== null && keep[r] === 0) continue;
        const v = values[r]!;
        if (v !== v) {
          if (a.distinct !== null) a.nanInLevels = true;
          continue;
        }
        if (v - v !== 0 && a.infinite === null) a.infinite = { at: batch.locate(r), value: v };
        if (a.distinct !== null) a.distinct.add(v === 0 ? 0 : v);
        if (mean) {
          a.sum += v;
          a.count++;
        }
      }
    });
    rows += m;
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
    const order = respValues.values.map((_, k) => k).sort((a, b) => respValues.values[a]! - respValues.values[b]!);
    classes = order.map((k) => respValues.values[k]!);
    classCounts = order.map((k) => respValues.counts[k]!);
    classMax = order.map((k) => (roles.weight === null ? 1 : respValues.max[k]!));
  }

  const findings: SourceFindings[] = accs.map((a, k) => ({
    levels: a.levelCounts === null ? null : schemaOf(roles.sources[k]!.name).levels!.filter((_, j) => a.levelCounts![j]! > 0),
    anyMissing: a.anyMissing,
    distinct: a.distinct === null ? null : [...a.distinct],
    mean: mean && a.count > 0 ? a.sum / a.count : null,
  }));
  const design = designFromFindings(source, spec, roles, findings, classes);
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

/** What is known of a feature source's kept rows (from a pass, or from a SQL engine's aggregates). */
export interface SourceFindings {
  /** The levels present (categorical), in sorted order; null for a numeric column. */
  levels: readonly string[] | null;
  /** Whether a kept row misses the value (categorical, 'mean' policy: the column gets a "missing" level). */
  anyMissing: boolean;
  /** The distinct values (a numeric column used as C(x)), else null. */
  distinct: readonly number[] | null;
  /** The mean of the non-missing values (numeric, 'mean' policy), else null. */
  mean: number | null;
}

/** The columns of a source, as a design needs to know them. */
export type SourceSchema = Pick<BatchSource, 'name' | 'names' | 'schema'>;

/**
 * The design from what is known of the kept rows: buildDesign on a stand-in table whose rows carry
 * exactly those levels (a "missing" row where the 'mean' policy gives a column that level), C(x)
 * values and classes; then the given means put in as the imputed values.
 */
export function designFromFindings(source: SourceSchema, spec: DesignSpec, roles: Roles, findings: readonly SourceFindings[], classes: readonly Label[]): Design {
  const mean = roles.missing === 'mean';
  let R = Math.max(2, classes.length);
  findings.forEach((f) => {
    if (f.levels !== null) R = Math.max(R, f.levels.length + (mean && f.anyMissing ? 1 : 0));
    if (f.distinct !== null) R = Math.max(R, f.distinct.length);
  });
  const columns: Column[] = source.schema.map((c) => {
    const k = roles.sources.findIndex((s) => s.name === c.name);
    const f = k >= 0 ? findings[k]! : null;
    if (c.name === roles.response) {
      if (c.kind === 'categorical') return { kind: 'categorical', name: c.name, levels: classes as string[], codes: Int32Array.from({ length: R }, (_, r) => r % classes.length), missing: 0 };
      return { kind: 'numeric', name: c.name, values: Float64Array.from({ length: R }, (_, r) => classes[r % classes.length] as number), missing: 0 };
    }
    if (f !== null && f.levels !== null) {
      const levels = f.levels;
      const withMissing = mean && f.anyMissing;
      const codes = Int32Array.from({ length: R }, (_, r) => (withMissing && r === R - 1) || levels.length === 0 ? -1 : r % levels.length);
      let missing = 0;
      for (const x of codes) if (x < 0) missing++;
      return { kind: 'categorical', name: c.name, levels, codes, missing };
    }
    if (f !== null && f.distinct !== null && f.distinct.length > 0) {
      const values = f.distinct;
      return { kind: 'numeric', name: c.name, values: Float64Array.from({ length: R }, (_, r) => values[r % values.length]!), missing: 0 };
    }
    if (c.kind === 'numeric') return { kind: 'numeric', name: c.name, values: new Float64Array(R).fill(1), missing: 0 };
    return { kind: 'categorical', name: c.name, levels: ['x'], codes: new Int32Array(R), missing: 0 };
  });
  const { design } = buildDesign(standIn(source.name, source.names, columns, R), spec);
  if (mean) {
    for (const s of design.sources) {
      const k = roles.sources.findIndex((x) => x.name === s.name);
      if (s.kind === 'numeric' && k >= 0 && findings[k]!.mean !== null) s.impute = findings[k]!.mean;
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
