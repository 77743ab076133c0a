import { quoteIdent, quoteText } from '../data/duckdb.js';
import { type Design, MISSING_LEVEL } from '../design/modelFrame.js';
import { type CodedTerm, type Factor, designColumns } from '../design/terms.js';
import type { Label } from '../util/labels.js';

/**
 * The SQL of pushed-down passes: the model matrix, the linear predictors, the loss and its
 * derivatives written as expressions over a table's columns, so that one query of plain SUM
 * aggregates over the table is one pass over the data, and only the sums come back.
 *
 * A model column (public order, the model file's) is an expression of the row:
 *   numeric term      the product of its columns, CAST(x AS DOUBLE PRECISION), a missing value
 *                     COALESCE'd with the imputed mean under --missing mean; standardized as
 *                     ((x − mean) / std) when the model is;
 *   categorical term  CASE WHEN <level conditions> THEN <product of its numeric factors, or 1> ELSE 0 END,
 *                     a level condition being CAST(c AS VARCHAR) = 'level' (text), c = value (C(x)
 *                     of a number), or c IS NULL (the "missing" level of --missing mean);
 * and the logits are z_k = b_k + Σ_j W_kj·x_j with the coefficients as query parameters $1 … $dim
 * (layout.ts order: W row-major, then b), so the text of a pass is the same at every iterate.
 *
 * The pass queries nest: the model columns, the weight s and the class index y of every kept row;
 * then the logits; then the loss ℓ and the residuals r = ∂ℓ/∂z in stable forms,
 *   binomial  ℓ = max(z, 0) + ln(1 + e^−|z|) − y·z,  r = σ(z) − y (σ by the sign of z),
 *   softmax   ℓ = lse − z_y,  r_k = e^(z_k − lse) − [y = k],  lse = m + ln Σ_k e^(z_k − m),  m = max_k z_k,
 * every exponent clamped at −700 (PostgreSQL raises an error on underflow; e^−700 ≈ 1e−304 changes
 * nothing a double can hold next to 1); and the aggregates SUM(s·ℓ), SUM(s·r_k·x_j), SUM(s·r_k).
 * PostgreSQL gets OFFSET 0 on every subquery, which keeps its planner from inlining them (it would
 * repeat each row's logits in every aggregate).
 */

export type Dialect = 'duckdb' | 'postgres';

/** How a relation's column is read. */
export interface SqlColumn {
  name: string;
  numeric: boolean;
  /** PostgreSQL booleans read as numbers go through an integer cast. */
  boolean?: boolean;
}

/** A number as an exact SQL double: CAST('shortest round-trip text' AS DOUBLE PRECISION). */
export function lit(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`a SQL literal must be finite, got ${x}`);
  return `CAST('${String(x === 0 ? 0 : x)}' AS DOUBLE PRECISION)`;
}

/** The $i parameter as a double. */
function param(i: number): string {
  return `CAST($${i} AS DOUBLE PRECISION)`;
}

/** A relation name as a FROM item: `schema.table` quoted part by part. */
export function tableRelation(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}

/** A query as a FROM item. */
export function queryRelation(sql: string): string {
  return `(${sql.trim().replace(/;+\s*$/, '')}) AS logreg_source`;
}

/** A column read as a double. */
export function numeric(c: SqlColumn, d: Dialect): string {
  const q = quoteIdent(c.name);
  if (c.boolean && d === 'postgres') return `CAST(CAST(${q} AS INTEGER) AS DOUBLE PRECISION)`;
  return `CAST(${q} AS DOUBLE PRECISION)`;
}

/** A column read as text. */
export function text(c: SqlColumn): string {
  return `CAST(${quoteIdent(c.name)} AS VARCHAR)`;
}

/** A class label as a literal of the response column's kind. */
export function labelLiteral(l: Label): string {
  return typeof l === 'number' ? lit(l) : quoteText(l);
}

/** The response read as the column's kind (text, or a double). */
export function responseValue(c: SqlColumn, d: Dialect): string {
  return c.numeric ? numeric(c, d) : text(c);
}

/** The model columns of a design as SQL, and the row filter of its missing-value policy. */
export interface ModelSql {
  /** Per public column j, the expression of x_j (standardized when asked). */
  columns: string[];
  /** Whether public column j is a numeric term (a dense column, the ones standardization touches). */
  dense: boolean[];
  /** The condition a row must meet to be used (no missing value where the policy refuses or drops it). */
  kept: string;
}

/** The design's terms as terms.ts codes them (its factors resolved). */
export function codedTermsOf(design: Design): CodedTerm[] {
  return design.terms.map((t) => ({
    term: { factors: t.factors.map((k) => design.factors[k] as Factor), columnOrder: t.columnOrder },
    codings: t.codings,
  }));
}

/**
 * The design's model columns over a relation's columns. `standardization` (public order, as the
 * model stores it) standardizes the dense columns; `labels` adds the response to the kept-row
 * condition (fits and evaluations; scoring reads rows without one).
 */
export function modelSql(
  design: Design, columns: ReadonlyMap<string, SqlColumn>, d: Dialect,
  standardization: { mean: ArrayLike<number>; std: ArrayLike<number> } | null, labels: boolean, weight: string | null,
): ModelSql {
  const col = (name: string) => {
    const c = columns.get(name);
    if (c === undefined) throw new RangeError(`has no column ${JSON.stringify(name)}`);
    return c;
  };
  const source = (name: string) => design.sources.find((s) => s.name === name)!;
  const factorLevels = new Map(design.factors.map((f) => [f.label, f.levels ?? []]));
  const dcols = designColumns(codedTermsOf(design), (f) => factorLevels.get(f.label)!);
  const out: string[] = [];
  const dense: boolean[] = [];
  dcols.forEach((dc, j) => {
    const t = design.terms[dc.term]!;
    const conds: string[] = [];
    const values: string[] = [];
    t.factors.forEach((k, i) => {
      const f = design.factors[k]!;
      const c = col(f.column);
      const src = source(f.column);
      const pick = dc.levels[i];
      if (pick === null || pick === undefined) {
        if (!c.numeric) throw new TypeError(`column ${JSON.stringify(c.name)} is not numeric, but the model uses it as a number`);
        values.push(src.impute !== null ? `COALESCE(${numeric(c, d)}, ${lit(src.impute)})` : numeric(c, d));
        return;
      }
      const level = f.levels![pick]!;
      if (src.missingLevel && level === MISSING_LEVEL && pick === f.levels!.length - 1) conds.push(`${quoteIdent(c.name)} IS NULL`);
      else if (f.values !== null) {
        if (!c.numeric) throw new TypeError(`column ${JSON.stringify(c.name)} is not numeric, but the model reads ${f.label} by its values`);
        conds.push(`${numeric(c, d)} = ${lit(f.values[pick]!)}`);
      } else conds.push(`${text(c)} = ${quoteText(level)}`);
    });
    const product = values.length === 0 ? lit(1) : values.join(' * ');
    if (conds.length === 0) {
      dense.push(true);
      const m = standardization === null ? 0 : standardization.mean[j]!;
      const s = standardization === null ? 1 : standardization.std[j]!;
      out.push(m === 0 && s === 1 ? product : `((${product}) - ${lit(m)}) / ${lit(s)}`);
    } else {
      dense.push(false);
      out.push(`CASE WHEN ${conds.join(' AND ')} THEN ${product} ELSE ${lit(0)} END`);
    }
  });
  // Rows used: a label (and weight) always; every source under 'refuse' and 'drop' (refuse is
  // checked beforehand), the sources 'mean' cannot impute under 'mean'.
  const need: string[] = [];
  if (labels) need.push(design.response);
  if (weight !== null) need.push(weight);
  for (const s of design.sources) {
    const imputable = design.missing === 'mean' && (s.impute !== null || s.missingLevel);
    if (!imputable) need.push(s.name);
  }
  const kept = need.length === 0 ? 'TRUE' : [...new Set(need)].map((n) => `${quoteIdent(col(n).name)} IS NOT NULL`).join(' AND ');
  return { columns: out, dense, kept };
}

/** A subquery as a FROM item, fenced for PostgreSQL (OFFSET 0: not inlined into the outer query). */
function sub(sql: string, d: Dialect, alias: string): string {
  return `(${sql}${d === 'postgres' ? ' OFFSET 0' : ''}) AS ${alias}`;
}

/** Everything a pass query is made of. */
export interface PassParts {
  dialect: Dialect;
  /** The FROM item of the data. */
  relation: string;
  model: ModelSql;
  /** The class index of a row (0/1 binary, 0…K−1 softmax). */
  y: string;
  /** The weight of a row (1 without weights). */
  s: string;
  K: number;
  intercept: boolean;
}

/** Names of the x columns inside the subqueries. */
const xName = (j: number) => `x${j}`;

/** σ(z) in a stable form (exponents clamped for PostgreSQL). */
function sigmoid(z: string): string {
  return `CASE WHEN ${z} >= 0 THEN 1 / (1 + EXP(GREATEST(-(${z}), -700))) ELSE EXP(GREATEST(${z}, -700)) / (1 + EXP(GREATEST(${z}, -700))) END`;
}

/**
 * The subqueries down to the per-row quantities of a pass at the coefficients $1 … $dim: returns
 * the FROM item whose rows have s, y, x0 …, z0 …, and (kind 'loss') ℓ and r0 … (the residuals), or
 * (kind 'curvature') the probabilities p0 … (softmax) or σ (binary, as p0).
 */
function rowsWith(parts: PassParts, kind: 'loss' | 'curvature'): string {
  const { dialect: d, model, K } = parts;
  const p = model.columns.length;
  const xs = model.columns.map((_, j) => xName(j));
  const r1 = `SELECT ${parts.s} AS s, ${parts.y} AS y${model.columns.map((e, j) => `, ${e} AS ${xName(j)}`).join('')} FROM ${parts.relation} WHERE ${model.kept}`;
  const z = (k: number) => {
    const terms = xs.map((x, j) => `${param(k * p + j + 1)} * ${x}`);
    if (parts.intercept) terms.unshift(param(K * p + k + 1));
    return terms.length === 0 ? lit(0) : terms.join(' + ');
  };
  const zs = Array.from({ length: K }, (_, k) => `z${k}`);
  const keep = ['s', 'y', ...xs].join(', ');
  const r2 = `SELECT ${keep}, ${zs.map((zk, k) => `${z(k)} AS ${zk}`).join(', ')} FROM ${sub(r1, d, 'logreg_rows')}`;
  if (K === 1) {
    if (kind === 'curvature') return sub(`SELECT ${keep}, ${sigmoid('z0')} AS p0 FROM ${sub(r2, d, 'logreg_logits')}`, d, 'logreg_terms');
    const r3 = `SELECT ${keep}, GREATEST(z0, 0) + LN(1 + EXP(GREATEST(-ABS(z0), -700))) - y * z0 AS l, ${sigmoid('z0')} - y AS r0 FROM ${sub(r2, d, 'logreg_logits')}`;
    return sub(r3, d, 'logreg_terms');
  }
  const m = `GREATEST(${zs.join(', ')})`;
  const lse = `${m} + LN(${zs.map((zk) => `EXP(GREATEST(${zk} - ${m}, -700))`).join(' + ')})`;
  const r3 = `SELECT ${keep}, ${zs.join(', ')}, ${lse} AS lse FROM ${sub(r2, d, 'logreg_logits')}`;
  const probs = zs.map((zk, k) => `EXP(GREATEST(${zk} - lse, -700)) AS p${k}`).join(', ');
  if (kind === 'curvature') return sub(`SELECT ${keep}, ${probs} FROM ${sub(r3, d, 'logreg_lse')}`, d, 'logreg_terms');
  const zy = `CASE y ${zs.map((zk, k) => `WHEN ${k} THEN ${zk}`).join(' ')} END`;
  const res = zs.map((zk, k) => `EXP(GREATEST(${zk} - lse, -700)) - CASE WHEN y = ${k} THEN 1 ELSE 0 END AS r${k}`).join(', ');
  return sub(`SELECT ${keep}, lse - ${zy} AS l, ${res} FROM ${sub(r3, d, 'logreg_lse')}`, d, 'logreg_terms');
}

/** Most aggregates in one query: PostgreSQL allows 1664 entries in a SELECT list. */
export const MAX_AGGREGATES = 1500;

/** Aggregates split into queries of at most MAX_AGGREGATES for PostgreSQL (DuckDB: one query). */
function queriesOf(aggregates: readonly string[], from: string, d: Dialect): string[] {
  const size = d === 'postgres' ? MAX_AGGREGATES : Infinity;
  const out: string[] = [];
  for (let a = 0; a < aggregates.length; a += size) {
    out.push(`SELECT ${aggregates.slice(a, a + size).map((e) => `CAST(${e} AS DOUBLE PRECISION)`).join(', ')} FROM ${from}`);
  }
  return out;
}

/**
 * The value-and-gradient pass: aggregates [Σ s·ℓ, Σ s·r_k·x_j (k-major, j), Σ s·r_k (with an
 * intercept)], in one query (more for PostgreSQL beyond 1500 aggregates), parameters $1 … $dim.
 */
export function gradientQueries(parts: PassParts): string[] {
  const p = parts.model.columns.length;
  const aggs = ['SUM(s * l)'];
  for (let k = 0; k < parts.K; k++) for (let j = 0; j < p; j++) aggs.push(`SUM(s * r${k} * ${xName(j)})`);
  if (parts.intercept) for (let k = 0; k < parts.K; k++) aggs.push(`SUM(s * r${k})`);
  return queriesOf(aggs, rowsWith(parts, 'loss'), parts.dialect);
}

/**
 * The Hessian pass on the model columns `columns` (increasing): the upper triangle, row by row, of
 * Σ s·A⊗x̃x̃ᵀ over the coordinates (class k, column) k-major then the intercepts, A = σ(1 − σ)
 * (binary) or diag(p) − ppᵀ (softmax); parameters $1 … $dim.
 */
export function hessianQueries(parts: PassParts, columns: readonly number[]): string[] {
  const K = parts.K;
  const coords: Array<{ k: number; x: string | null }> = [];
  for (let k = 0; k < K; k++) for (const j of columns) coords.push({ k, x: xName(j) });
  if (parts.intercept) for (let k = 0; k < K; k++) coords.push({ k, x: null });
  const aggs: string[] = [];
  for (let a = 0; a < coords.length; a++) {
    for (let b = a; b < coords.length; b++) {
      const ca = coords[a]!;
      const cb = coords[b]!;
      const w = K === 1 ? 'p0 * (1 - p0)' : ca.k === cb.k ? `p${ca.k} * (1 - p${ca.k})` : `-(p${ca.k} * p${cb.k})`;
      const xs = [ca.x, cb.x].filter((x): x is string => x !== null);
      aggs.push(`SUM(s * ${w}${xs.map((x) => ` * ${x}`).join('')})`);
    }
  }
  return queriesOf(aggs, rowsWith(parts, 'curvature'), parts.dialect);
}

/**
 * The Hessian-vector pass for a direction (V, vb) given as parameters $dim+1 … $2·dim:
 * u_k = V_k·x + vb_k, t_k = s·A·u (binary σ(1−σ)·u; softmax p_k(u_k − Σ_l p_l u_l)); aggregates
 * Σ t_k·x_j (k-major) then Σ t_k.
 */
export function hessVecQueries(parts: PassParts): string[] {
  const K = parts.K;
  const p = parts.model.columns.length;
  const dim = K * p + (parts.intercept ? K : 0);
  const u = (k: number) => {
    const terms = Array.from({ length: p }, (_, j) => `${param(dim + k * p + j + 1)} * ${xName(j)}`);
    if (parts.intercept) terms.unshift(param(dim + K * p + k + 1));
    return `(${terms.length === 0 ? lit(0) : terms.join(' + ')})`;
  };
  const t = (k: number) => {
    if (K === 1) return `s * p0 * (1 - p0) * ${u(0)}`;
    const pu = Array.from({ length: K }, (_, l) => `p${l} * ${u(l)}`).join(' + ');
    return `s * p${k} * (${u(k)} - (${pu}))`;
  };
  const inner = `SELECT ${['s', ...Array.from({ length: p }, (_, j) => xName(j))].join(', ')}, ${Array.from({ length: K }, (_, k) => `${t(k)} AS t${k}`).join(', ')} FROM ${rowsWith(parts, 'curvature')}`;
  const aggs: string[] = [];
  for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) aggs.push(`SUM(t${k} * ${xName(j)})`);
  if (parts.intercept) for (let k = 0; k < K; k++) aggs.push(`SUM(t${k})`);
  return queriesOf(aggs, sub(inner, parts.dialect, 'logreg_products'), parts.dialect);
}

/**
 * The training report in one query: [Σ ℓ (unweighted), rows whose most probable class is theirs,
 * rows]; binary: class 1 when z > 0 (a tie goes to class 0, as predictions decide it), softmax: the
 * first class of largest logit.
 */
export function scoreQuery(parts: PassParts): string {
  const K = parts.K;
  let predicted: string;
  if (K === 1) predicted = 'CASE WHEN z0 > 0 THEN 1 ELSE 0 END';
  else {
    const zs = Array.from({ length: K }, (_, k) => `z${k}`);
    const m = `GREATEST(${zs.join(', ')})`;
    predicted = `CASE ${zs.map((zk, k) => `WHEN ${zk} = ${m} THEN ${k}`).join(' ')} END`;
  }
  return `SELECT CAST(SUM(l) AS DOUBLE PRECISION), CAST(SUM(CASE WHEN ${predicted} = y THEN 1 ELSE 0 END) AS DOUBLE PRECISION), CAST(COUNT(*) AS DOUBLE PRECISION) FROM ${rowsWithLogits(parts)}`;
}

/** The loss rows with the logits kept (for the score query). */
function rowsWithLogits(parts: PassParts): string {
  const { dialect: d, model, K } = parts;
  const p = model.columns.length;
  const r1 = `SELECT ${parts.s} AS s, ${parts.y} AS y${model.columns.map((e, j) => `, ${e} AS ${xName(j)}`).join('')} FROM ${parts.relation} WHERE ${model.kept}`;
  const zs = Array.from({ length: K }, (_, k) => `z${k}`);
  const z = (k: number) => {
    const terms = model.columns.map((_, j) => `${param(k * p + j + 1)} * ${xName(j)}`);
    if (parts.intercept) terms.unshift(param(K * p + k + 1));
    return terms.length === 0 ? lit(0) : terms.join(' + ');
  };
  const r2 = `SELECT y, ${zs.map((zk, k) => `${z(k)} AS ${zk}`).join(', ')} FROM ${sub(r1, d, 'logreg_rows')}`;
  if (K === 1) return sub(`SELECT y, z0, GREATEST(z0, 0) + LN(1 + EXP(GREATEST(-ABS(z0), -700))) - y * z0 AS l FROM ${sub(r2, d, 'logreg_logits')}`, d, 'logreg_terms');
  const m = `GREATEST(${zs.join(', ')})`;
  const lse = `${m} + LN(${zs.map((zk) => `EXP(GREATEST(${zk} - ${m}, -700))`).join(' + ')})`;
  const zy = `CASE y ${zs.map((zk, k) => `WHEN ${k} THEN ${zk}`).join(' ')} END`;
  return sub(`SELECT y, ${zs.join(', ')}, ${lse} - ${zy} AS l FROM ${sub(r2, d, 'logreg_logits')}`, d, 'logreg_terms');
}

/** What scoring SQL needs of a model (its JSON form, src/model/serialize.ts). */
export interface ScoringModel {
  kind: 'binary' | 'softmax';
  classes: readonly Label[];
  coef: readonly (readonly number[])[];
  intercept: readonly number[];
  standardization: { mean: readonly number[]; std: readonly number[] } | null;
  design: Design | null;
}

/**
 * A SELECT that scores every row of a relation with a fitted model, in SQL that DuckDB and
 * PostgreSQL both run: the relation's columns, then `prediction` (the most probable class; binary:
 * the positive class when z > 0) and `p_<class>` for every class. The model's coding is written
 * out (levels as CASE conditions, its standardization, its imputed means); a level the model never
 * saw gives all-zero indicators (as --unknown-level zero), and a missing value the model does not
 * impute gives NULL probabilities. `from` is `"table"` or `(SELECT …)`; the coefficients are
 * literals (exact: the shortest text that reads back as the same double).
 */
export function scoringSql(model: ScoringModel, from: string): string {
  const design = model.design;
  if (design === null) throw new TypeError('the model was fitted on a matrix, not a table: it has no columns to score in SQL');
  const cols = new Map<string, SqlColumn>(design.sources.map((s) => [s.name, { name: s.name, numeric: s.kind === 'numeric' }]));
  const ms = modelSql(design, cols, 'duckdb', model.standardization, false, null);
  const K = model.coef.length;
  const z = (k: number) => {
    const terms: string[] = [lit(design.intercept ? model.intercept[k]! : 0)];
    ms.columns.forEach((x, j) => {
      const w = model.coef[k]![j]!;
      if (w !== 0) terms.push(`${lit(w)} * (${x})`);
    });
    return terms.join('\n      + ');
  };
  const zs = Array.from({ length: K }, (_, k) => `logreg_z.z${k}`);
  const lateral = [`LATERAL (SELECT ${Array.from({ length: K }, (_, k) => `${z(k)} AS z${k}`).join(',\n    ')}) AS logreg_z`];
  const out: string[] = [];
  const cls = model.classes;
  if (model.kind === 'binary') {
    out.push(`CASE WHEN ${zs[0]} > 0 THEN ${labelLiteral(cls[1]!)} ELSE ${labelLiteral(cls[0]!)} END AS ${quoteIdent('prediction')}`);
    out.push(`${sigmoid(`(-${zs[0]})`)} AS ${quoteIdent(`p_${String(cls[0])}`)}`);
    out.push(`${sigmoid(zs[0]!)} AS ${quoteIdent(`p_${String(cls[1])}`)}`);
  } else {
    const m = `GREATEST(${zs.join(', ')})`;
    lateral.push(`LATERAL (SELECT ${m} + LN(${zs.map((zk) => `EXP(GREATEST(${zk} - ${m}, -700))`).join(' + ')}) AS lse) AS logreg_lse`);
    out.push(`CASE ${zs.map((zk, k) => `WHEN ${zk} = ${m} THEN ${labelLiteral(cls[k]!)}`).join(' ')} END AS ${quoteIdent('prediction')}`);
    zs.forEach((zk, k) => out.push(`EXP(GREATEST(${zk} - logreg_lse.lse, -700)) AS ${quoteIdent(`p_${String(cls[k])}`)}`));
  }
  return `SELECT logreg_input.*,\n  ${out.join(',\n  ')}\nFROM ${from} AS logreg_input,\n  ${lateral.join(',\n  ')}`;
}
