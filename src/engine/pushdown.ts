import { quoteIdent } from '../data/duckdb.js';
import { EngineError } from '../data/engineError.js';
import { compareUtf8, listNames } from '../data/table.js';
import type { DesignSpec } from '../design/modelFrame.js';
import { type Layout, coefView, makeLayout } from '../loss/layout.js';
import type { Classifier } from '../model/fit.js';
import { type ModelOptions, resolveOptions } from '../model/options.js';
import { PROX_NEWTON_MAX_DIM } from '../model/solve.js';
import type { Label } from '../util/labels.js';
import type { SyncEngine } from './bridge.js';
import { type Roles, type SourceFindings, type SourceSchema, designFromFindings, rolesOf } from './design.js';
import { interceptsFromFrequencies } from '../model/linearClassifier.js';
import { checkClassTotals, classPlan, fittedModel, scaledC } from './modelState.js';
import { type PassObjective, checkSolver, solvePasses } from './solve.js';
import {
  type Dialect, type PassParts, type SqlColumn, gradientQueries, hessVecQueries, hessianQueries, labelLiteral, lit, modelSql, numeric, responseValue,
  scoreQuery, text,
} from './sql.js';

/**
 * Fits pushed down to a SQL engine (DuckDB, PostgreSQL, or anything that speaks their SQL: Citus,
 * Greenplum): the data never leave the engine. The statements, in order:
 *
 *   1. the relation's columns: `SELECT * FROM <relation> LIMIT 0` (PostgreSQL) or `DESCRIBE SELECT
 *      * FROM <relation>` (DuckDB);
 *   2. the design's statistics over the kept rows (rows without a label, weight or, unless imputed,
 *      a feature): one query of counts (and, under --missing refuse, the missing values per column),
 *      one SELECT DISTINCT per categorical column (and per C(x) column), one GROUP BY of the label
 *      for the classes, their counts and largest weights, the imputed means (--missing mean), the
 *      dense columns' AVG and STDDEV_POP (--standardize), and S = Σ s with the class totals;
 *   3. every pass of the solver: ONE query of SUM aggregates, the text of sql.ts with the
 *      coefficients as parameters $1 … $dim, returning K·p + K + 1 numbers (PostgreSQL: one query
 *      per 1500 aggregates); Hessian passes (L1 and elastic net, --solver newton) likewise;
 *   4. the report: one query for the training log loss and accuracy.
 *
 * Only SELECTs are issued; nothing is written to the database. The objective, its optimum, and the
 * model file are the in-memory fit's (the engine adds the sums in its own order: agreement to about
 * 1e-15 relative, not bit for bit).
 */

/** What a pushed-down fit is asked to do. */
export interface PushdownRequest {
  engine: SyncEngine;
  dialect: Dialect;
  /** The FROM item: a quoted table name or a parenthesized query with an alias. */
  relation: string;
  /** For messages: "postgres table t", "the --sql query". */
  name: string;
  spec: DesignSpec;
  model: 'auto' | 'binary' | 'softmax';
  options: ModelOptions;
}

/** What a pushed-down fit reports besides the model. */
export interface PushdownReport {
  rows: number;
  n: number;
  dropped: number;
  /** Queries by purpose: design statistics, the solver's passes, the report's. */
  queries: { design: number; passes: number; report: number; total: number };
  /** Passes over the data the solver made (value-and-gradient, Hessian products, Hessians). */
  passes: number;
  /** The SQL of one value-and-gradient pass (parameters $1 … $dim are the coefficients). */
  passSql: string;
  /** Seconds per pass query, measured over the fit. */
  passSeconds: number;
  training: { logLoss: number; accuracy: number };
  warnings: string[];
  seconds: { design: number; fit: number };
}

/** The first number of the first row. */
function num(rows: unknown[][], i = 0): number {
  const v = rows[0]?.[i];
  return v === null || v === undefined ? NaN : Number(v);
}

/**
 * The objective of src/loss/objective.ts for a pushed-down fit, every call one pass query (a few on
 * PostgreSQL beyond 1500 aggregates), x in the layout of layout.ts (dim = K·p + K):
 *
 *     J(x)   = Σᵢ sᵢℓᵢ / S + (1 − a)·‖W‖²_F / (2·C·S)          S = Σᵢ sᵢ (the design statistics')
 *     ∇J(x)  = Σᵢ sᵢ rᵢ ⊗ x̃ᵢ / S + ridge·W                     rᵢ = ∂ℓ/∂zᵢ, x̃ᵢ = (xᵢ, 1)
 *     ∇²J·v  = Σᵢ sᵢ Aᵢuᵢ ⊗ x̃ᵢ / S + ridge·V                   uᵢ = V·xᵢ + v_b
 *     H      = Σᵢ sᵢ Aᵢ ⊗ x̃ᵢx̃ᵢᵀ / S + ridge on W's diagonal   (on chosen columns: q × q)
 *
 * with Aᵢ = σ(1 − σ) (binomial) or diag(p) − ppᵀ (softmax), the sums computed by the engine.
 */
export class PushdownObjective implements PassObjective {
  readonly dim: number;
  /** (1 − a)/(C·S). */
  readonly ridge: number;
  /** a/(C·S), the weight of ‖W‖₁. */
  readonly l1: number;
  /** Passes over the data so far (value-and-gradient, Hessian products, Hessians). */
  passes = 0;
  /** Queries run by the passes (one a pass, or more on PostgreSQL beyond 1500 aggregates). */
  queries = 0;
  /** Time spent waiting for pass queries, in seconds. */
  querySeconds = 0;
  private readonly gradientSql: string[];
  private readonly hvSql: string[];
  private readonly hessianSql = new Map<string, string[]>();

  constructor(
    private readonly engine: SyncEngine, private readonly parts: PassParts, private readonly layout: Layout,
    readonly weightSum: number, C: number, l1Ratio: number,
  ) {
    this.dim = layout.dim;
    this.ridge = Number.isFinite(C) ? (1 - l1Ratio) / (C * weightSum) : 0;
    this.l1 = Number.isFinite(C) ? l1Ratio / (C * weightSum) : 0;
    this.gradientSql = gradientQueries(parts);
    this.hvSql = hessVecQueries(parts);
  }

  /** The SQL of one value-and-gradient pass. */
  get passSql(): string {
    return this.gradientSql.join(';\n');
  }

  /** Runs a pass's queries with the given parameters and returns their numbers, in order. */
  private run(sqls: readonly string[], params: readonly number[]): number[] {
    const out: number[] = [];
    for (const sql of sqls) {
      const t0 = performance.now();
      let rows: unknown[][];
      try {
        rows = this.engine.query(sql, params);
      } catch (e) {
        throw new EngineError(`${this.engine.target.kind}: a pass query failed after ${this.passes} passes: ${(e as Error).message}`);
      }
      this.querySeconds += (performance.now() - t0) / 1000;
      this.queries++;
      const row = rows[0] ?? [];
      for (const v of row) out.push(v === null ? NaN : Number(v));
    }
    this.passes++;
    return out;
  }

  private penalty(x: Float64Array, grad: Float64Array | null): number {
    if (this.ridge === 0) return 0;
    const W = coefView(x, this.layout);
    let sq = 0;
    for (let j = 0; j < W.length; j++) {
      sq += W[j]! * W[j]!;
      if (grad !== null) grad[j] += this.ridge * W[j]!;
    }
    return 0.5 * this.ridge * sq;
  }

  valueAndGradient(x: Float64Array, grad: Float64Array): number {
    const v = this.run(this.gradientSql, Array.from(x));
    const invS = 1 / this.weightSum;
    for (let j = 0; j < this.dim; j++) grad[j] = v[1 + j]! * invS;
    return v[0]! * invS + this.penalty(x, grad);
  }

  hessVec(x: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const at = Array.from(x);
    const KD = this.layout.K * this.layout.d;
    return (v, out) => {
      const r = this.run(this.hvSql, [...at, ...Array.from(v)]);
      const invS = 1 / this.weightSum;
      for (let j = 0; j < this.dim; j++) out[j] = r[j]! * invS + (j < KD ? this.ridge * v[j]! : 0);
    };
  }

  hessianMatrix(x: Float64Array, columns?: Int32Array): Float64Array {
    const { K, d: p, fitIntercept } = this.layout;
    const cols = columns === undefined ? Array.from({ length: p }, (_, j) => j) : Array.from(columns);
    const key = cols.join(',');
    let sqls = this.hessianSql.get(key);
    if (sqls === undefined) {
      sqls = hessianQueries(this.parts, cols);
      this.hessianSql.set(key, sqls);
    }
    const upper = this.run(sqls, Array.from(x));
    const q = K * cols.length + (fitIntercept ? K : 0);
    const H = new Float64Array(q * q);
    const invS = 1 / this.weightSum;
    let t = 0;
    for (let a = 0; a < q; a++) {
      for (let b = a; b < q; b++) {
        const v = upper[t++]! * invS;
        H[a * q + b] = v;
        H[b * q + a] = v;
      }
    }
    for (let j = 0; j < K * cols.length; j++) H[j * q + j] = H[j * q + j]! + this.ridge;
    return H;
  }

  l1Weights(): Float64Array {
    const w = new Float64Array(this.dim);
    w.fill(this.l1, 0, this.layout.K * this.layout.d);
    return w;
  }

  /** The unweighted mean log loss and accuracy at x, in one query. */
  scores(x: Float64Array): { logLoss: number; accuracy: number } {
    const t0 = performance.now();
    const rows = this.engine.query(scoreQuery(this.parts), Array.from(x));
    this.querySeconds += (performance.now() - t0) / 1000;
    const n = num(rows, 2);
    return { logLoss: num(rows, 0) / n, accuracy: num(rows, 1) / n };
  }
}

/**
 * Fits by pushing every pass down to the engine; see the module comment. The engine's statements
 * are plain SELECTs; the model is made as the in-memory fit makes it (modelState.ts).
 */
export function pushdownFit(req: PushdownRequest): { model: Classifier; report: PushdownReport } {
  const o = resolveOptions(req.options);
  checkSolver(o, 'a pushed-down fit');
  const t0 = performance.now();
  const { engine, dialect: d, relation, name } = req;
  let designQueries = 0;
  const q = (sql: string): unknown[][] => {
    designQueries++;
    try {
      return engine.query(sql);
    } catch (e) {
      throw new EngineError(`${name}: ${(e as Error).message}`);
    }
  };
  let described;
  try {
    described = engine.describe(relation);
  } catch (e) {
    throw new EngineError(`${name}: ${(e as Error).message}`);
  }
  designQueries++;
  const cols = new Map<string, SqlColumn>(described.map((c) => [c.name, c]));
  const schema: SourceSchema = {
    name, names: described.map((c) => c.name), schema: described.map((c) => ({ name: c.name, kind: c.numeric ? 'numeric' : 'categorical', levels: null })),
  };
  const spec: DesignSpec = { ...req.spec, intercept: req.spec.intercept ?? o.fitIntercept };
  const roles: Roles = rolesOf(schema, spec);
  const col = (n: string) => cols.get(n)!;
  const qi = (n: string) => quoteIdent(n);
  const mean = roles.missing === 'mean';

  // Rows kept, and under 'refuse' the missing values per column.
  const checkedNames = [roles.response, ...(roles.weight === null ? [] : [roles.weight]), ...(mean ? [] : roles.sources.map((s) => s.name))];
  const keptCond = [...new Set(checkedNames)].map((n) => `${qi(n)} IS NOT NULL`).join(' AND ');
  const counts = q(`SELECT CAST(COUNT(*) AS DOUBLE PRECISION), CAST(SUM(CASE WHEN ${keptCond} THEN 1 ELSE 0 END) AS DOUBLE PRECISION)${
    checkedNames.map((n) => `, CAST(SUM(CASE WHEN ${qi(n)} IS NULL THEN 1 ELSE 0 END) AS DOUBLE PRECISION)`).join('')} FROM ${relation}`);
  const rows = num(counts, 0);
  const n = num(counts, 1) || 0;
  if (roles.missing === 'refuse') {
    const k = checkedNames.findIndex((_, i) => num(counts, 2 + i) > 0);
    if (k >= 0) {
      throw new EngineError(`${name}: column ${JSON.stringify(checkedNames[k])} has ${num(counts, 2 + k)} missing values (NULL); --missing drop leaves such rows out, --missing mean imputes them`);
    }
  }
  if (n === 0) throw new EngineError(`${name}: every one of its ${rows} rows has a missing value in a column the model uses (${listNames([roles.response, ...roles.sources.map((s) => s.name)])}), so no row is left to fit`);
  const w = roles.weight === null ? null : numeric(col(roles.weight), d);
  if (w !== null) {
    const bad = q(`SELECT CAST(MIN(${w}) AS DOUBLE PRECISION) FROM ${relation} WHERE ${keptCond}`);
    if (!(num(bad) >= 0)) throw new EngineError(`${name}: column ${JSON.stringify(roles.weight)}: weight ${num(bad)} is not a finite number ≥ 0`);
  }

  // What buildDesign needs of every source, from aggregates over the kept rows.
  const findings: SourceFindings[] = roles.sources.map((s) => {
    const c = col(s.name);
    const f: SourceFindings = { levels: null, anyMissing: false, distinct: null, mean: null };
    if (s.kind === 'categorical') {
      f.levels = q(`SELECT DISTINCT ${text(c)} FROM ${relation} WHERE ${keptCond} AND ${qi(s.name)} IS NOT NULL`).map((r) => String(r[0])).sort(compareUtf8);
      if (mean) f.anyMissing = num(q(`SELECT CAST(COUNT(*) AS DOUBLE PRECISION) FROM ${relation} WHERE ${keptCond} AND ${qi(s.name)} IS NULL`)) > 0;
      return f;
    }
    if (s.asCategorical) {
      if (mean && num(q(`SELECT CAST(COUNT(*) AS DOUBLE PRECISION) FROM ${relation} WHERE ${keptCond} AND ${qi(s.name)} IS NULL`)) > 0) {
        throw new EngineError(`${name}: C(${s.name}) treats a numeric column as categorical, whose missing values have no mean to impute; use --missing drop`);
      }
      f.distinct = q(`SELECT DISTINCT ${numeric(c, d)} FROM ${relation} WHERE ${keptCond} AND ${qi(s.name)} IS NOT NULL`).map((r) => Number(r[0]));
    }
    if (mean) {
      const r = q(`SELECT CAST(AVG(${numeric(c, d)}) AS DOUBLE PRECISION), CAST(COUNT(${qi(s.name)}) AS DOUBLE PRECISION) FROM ${relation} WHERE ${keptCond}`);
      if (!(num(r, 1) > 0)) throw new EngineError(`${name}: column ${JSON.stringify(s.name)} has no value in the rows fitted, so its mean cannot be imputed`);
      f.mean = num(r, 0);
    }
    return f;
  });

  // The classes: the label's distinct values over the kept rows, with counts and largest weights.
  const rc = col(roles.response);
  const yv = responseValue(rc, d);
  const groups = q(`SELECT ${yv}, CAST(COUNT(*) AS DOUBLE PRECISION), CAST(MAX(${w ?? lit(1)}) AS DOUBLE PRECISION) FROM ${relation} WHERE ${keptCond} GROUP BY ${yv}`);
  const classRows = groups.map((r) => ({ label: (rc.numeric ? Number(r[0]) : String(r[0])) as Label, count: Number(r[1]), max: Number(r[2]) }));
  classRows.sort((a, b) => (rc.numeric ? (a.label as number) - (b.label as number) : compareUtf8(a.label as string, b.label as string)));
  const classesIn = classRows.map((r) => r.label);
  const design = designFromFindings(schema, spec, roles, findings, classesIn);
  const plan = classPlan(classesIn, Float64Array.from(classRows, (r) => r.count), Float64Array.from(classRows, (r) => r.max), roles.weight !== null, o, req.model, design.response);

  // The row's class index and weight as SQL.
  const K = plan.K;
  const finalClass = (label: Label) => plan.index[classesIn.indexOf(label)]!;
  const y = K === 1
    ? `CASE WHEN ${yv} = ${labelLiteral(plan.classes[1]!)} THEN 1 ELSE 0 END`
    : `CASE ${classesIn.map((l) => `WHEN ${yv} = ${labelLiteral(l)} THEN ${finalClass(l)}`).join(' ')} END`;
  const cw = plan.classWeight;
  const classFactor = cw === null ? null : `CASE ${classesIn.map((l) => `WHEN ${yv} = ${labelLiteral(l)} THEN ${lit(cw[finalClass(l)]!)}`).join(' ')} END`;
  const s = w === null ? (classFactor ?? lit(1)) : classFactor === null ? w : `${w} * ${classFactor}`;

  // S and the class totals (for the warm start and the zero-weight check).
  const totals = q(`SELECT ${y}, CAST(SUM(${s}) AS DOUBLE PRECISION) FROM ${relation} WHERE ${keptCond} GROUP BY ${y}`);
  const nc = plan.classes.length;
  const freq = new Float64Array(nc);
  for (const r of totals) freq[Number(r[0])] = Number(r[1]);
  checkClassTotals(plan.classes, freq);
  let S = 0;
  for (const f of freq) S += f;
  const C = scaledC(o.C, 1, S);

  // Standardization: the dense columns' mean and population std over the kept rows.
  const raw = modelSql(design, cols, d, null, true, roles.weight);
  const p = design.names.length;
  let standardization: { mean: Float64Array; std: Float64Array } | null = null;
  if (o.standardize) {
    const denseJ = raw.dense.map((isDense, j) => (isDense ? j : -1)).filter((j) => j >= 0);
    const mean0 = new Float64Array(p);
    const std0 = new Float64Array(p).fill(1);
    if (denseJ.length > 0) {
      const r = q(`SELECT ${denseJ.map((j) => `CAST(AVG(${raw.columns[j]}) AS DOUBLE PRECISION), CAST(STDDEV_POP(${raw.columns[j]}) AS DOUBLE PRECISION)`).join(', ')} FROM ${relation} WHERE ${raw.kept}`);
      denseJ.forEach((j, t) => {
        mean0[j] = num(r, 2 * t);
        const sd = num(r, 2 * t + 1);
        std0[j] = sd > 0 ? sd : 1;
      });
    }
    standardization = { mean: mean0, std: std0 };
  }
  const model = modelSql(design, cols, d, standardization, true, roles.weight);
  const icpt = design.intercept;
  const layout = makeLayout(p, K, icpt);
  if ((o.penalty === 'l1' || o.penalty === 'elasticnet') && layout.dim > PROX_NEWTON_MAX_DIM) {
    throw new RangeError(`penalty '${o.penalty}' is fitted for up to ${PROX_NEWTON_MAX_DIM} coefficients; this model has ${layout.dim}`);
  }
  const parts: PassParts = { dialect: d, relation, model, y, s, K, intercept: icpt };
  const objective = new PushdownObjective(engine, parts, layout, S, C, o.l1Ratio);
  const x0 = new Float64Array(layout.dim);
  if (icpt) interceptsFromFrequencies(x0.subarray(K * p), freq, S, K);
  const tDesign = performance.now();
  const result = solvePasses(o, objective, layout, x0);
  const fitSeconds = (performance.now() - tDesign) / 1000;
  const order = Int32Array.from({ length: p }, (_, j) => j);
  const passQueries = objective.queries;
  const passSeconds = objective.querySeconds / Math.max(1, objective.passes);
  const fitted = fittedModel({ plan, design, o, result, order, standardization, fitSeconds });
  // The training report at the model's own coefficients (softmax: centred), as the in-memory one.
  const xs = new Float64Array(layout.dim);
  fitted.coef.forEach((row, k) => xs.set(row, k * p));
  if (icpt) xs.set(fitted.intercept, K * p);
  const training = objective.scores(xs);
  return {
    model: fitted,
    report: {
      rows, n, dropped: rows - n,
      queries: { design: designQueries, passes: passQueries, report: 1, total: designQueries + passQueries + 1 },
      passes: objective.passes, passSql: objective.passSql, passSeconds, training, warnings: [],
      seconds: { design: (tDesign - t0) / 1000, fit: fitSeconds },
    },
  };
}
