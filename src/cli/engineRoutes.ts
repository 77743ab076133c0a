import type { Argv } from 'yargs';
import { single } from './args.js';
import { isParquetPath, loadTable } from './dataArg.js';
import { CliError } from './errors.js';
import { type OutputTarget, writeOutput } from './files.js';
import { fitProgress } from './progress.js';
import { classNames, coefficientLines, coefficientsJson, fmt } from './report.js';
import type { CsvOptions } from '../data/csvReader.js';
import { DuckSession, type DuckSource, duckRelation, duckSourceName } from '../data/duckdb.js';
import { EngineError } from '../data/engineError.js';
import { resolveDataArg } from '../data/registry.js';
import { parseFormula } from '../design/formula.js';
import { type DesignSpec, columnsNeeded } from '../design/modelFrame.js';
import type { Classifier } from '../model/fit.js';
import { type ModelOptions, defaultMaxIter } from '../model/options.js';
import { type EngineTarget, SyncEngine, redact } from '../engine/bridge.js';
import { type PushdownReport, pushdownFit } from '../engine/pushdown.js';
import { type BatchSource, duckBatchSource, tableSource } from '../engine/source.js';
import { queryRelation, tableRelation } from '../engine/sql.js';
import { type StreamReport, streamFit } from '../engine/streamFit.js';

/**
 * The command-line side of the engines: train's options --sql, --engine, --table and
 * --memory-limit, the choice of route (in memory, streamed, pushed down), and the report of a
 * streamed or pushed-down fit.
 *
 *   in memory   --data file.csv | bundled | file.parquet | glob, or --sql "SELECT …" (DuckDB reads it
 *               into columns), when the model matrix fits;
 *   streamed    --memory-limit SIZE (or a Parquet source estimated above 3 GiB): the rows pass
 *               through SIZE of kernel memory, streamFit.ts;
 *   pushdown    --engine duckdb[:file.duckdb] | postgres://…, with --table t or --sql "SELECT …"
 *               (DuckDB also --data file.parquet): every pass is a query, pushdown.ts.
 */

/** Adds --sql, --engine, --table and --memory-limit to a command. */
export function engineOptions(y: Argv, train: boolean): Argv {
  const out = y.option('sql', { type: 'string', describe: 'read the rows of this DuckDB query instead of --data (e.g. "SELECT * FROM read_parquet(\'s3://b/*.parquet\')")' });
  if (!train) return out;
  return out
    .option('engine', { type: 'string', describe: 'push every pass down to a SQL engine: duckdb (in process; duckdb:FILE for a database file) or postgres://user@host/db' })
    .option('table', { type: 'string', describe: 'with --engine: the table (or view) to fit on' })
    .option('memory-limit', { type: 'string', describe: 'stream the rows in batches through at most this much kernel memory (e.g. 256MB, 2GiB): for data larger than memory' });
}

/** The route's options, checked. */
export interface EngineArgs {
  sql: string | null;
  engine: EngineTarget | null;
  table: string | null;
  memoryLimit: number | null;
}

/** A size: bytes, or a number with K, M, G (or KB, MB, GB, KiB, MiB, GiB: all powers of 1024). */
export function parseSize(option: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(raw);
  const bad = () => new CliError(`--${option} must be a size such as 512MB or 2GiB (units K, M, G, T of 1024), got ${raw === '' ? '(empty)' : raw}`);
  if (m === null) throw bad();
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const v = Math.floor(Number(m[1]) * unit);
  if (!(v >= 1024)) throw new CliError(`--${option} must be at least 1K, got ${raw}`);
  return v;
}

/** --engine as a target. */
function parseEngine(raw: string): EngineTarget {
  if (raw === 'duckdb') return { kind: 'duckdb', database: ':memory:' };
  if (raw.startsWith('duckdb:')) return { kind: 'duckdb', database: raw.slice('duckdb:'.length) };
  if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', url: raw };
  throw new CliError(`--engine must be duckdb, duckdb:FILE or a postgres://… URL, got ${raw === '' ? '(empty)' : raw}`);
}

/** Reads and checks the engine options of a command (null fields when absent). */
export function engineArgs(argv: Record<string, unknown>, data: string | undefined): EngineArgs {
  const sql = single('sql', argv.sql) ?? null;
  const engineRaw = single('engine', argv.engine);
  const table = single('table', argv.table) ?? null;
  const limitRaw = single('memory-limit', argv['memory-limit']);
  if (sql !== null && sql.trim() === '') throw new CliError('--sql is empty');
  if (sql !== null && data !== undefined) throw new CliError('--sql and --data both give the rows; give one of them');
  const engine = engineRaw === undefined ? null : parseEngine(engineRaw);
  if (table !== null && engine === null) throw new CliError('--table names a table of a database: give the database with --engine (duckdb:FILE or postgres://…)');
  if (engine !== null) {
    if (limitRaw !== undefined) throw new CliError('--memory-limit applies to fits in this process; with --engine the engine holds the rows');
    const given = [table !== null, sql !== null, data !== undefined].filter(Boolean).length;
    if (given !== 1) throw new CliError('--engine needs exactly one of --table, --sql or (duckdb) --data file.parquet');
    if (data !== undefined && !(engine.kind === 'duckdb' && isParquetPath(data))) {
      throw new CliError(`--engine ${engine.kind} reads --table or --sql${engine.kind === 'duckdb' ? ' or --data file.parquet' : ''}, not --data ${data}`);
    }
    if (table !== null && engine.kind === 'duckdb' && engine.database === ':memory:') {
      throw new CliError('--table with --engine duckdb needs a database file: --engine duckdb:path/to/file.duckdb');
    }
  }
  return { sql, engine, table, memoryLimit: limitRaw === undefined ? null : parseSize('memory-limit', limitRaw) };
}

/** Model matrices estimated above this many bytes stream by default (Parquet sources). */
const AUTO_STREAM_BYTES = 3 * 2 ** 30;
/** The kernel memory of an automatic streamed fit. */
const AUTO_LIMIT = 2 ** 30;

/** What train's plan gives the engine routes. */
export interface TrainRequest {
  data: string | undefined;
  target: string | undefined;
  model: 'auto' | 'binary' | 'softmax';
  options: ModelOptions;
  testSize: number | null;
  summary: boolean;
  out: OutputTarget | null;
  json: boolean;
  quiet: boolean;
  /** How to read a CSV file (--delimiter, --decimal, --na-values). */
  csv: CsvOptions;
}

/**
 * Runs train's streamed or pushed-down route when the options ask for one (or a Parquet source is
 * too large for memory), and returns true; false leaves the fit to the in-memory command.
 */
export async function trainElsewhere(req: TrainRequest, spec: DesignSpec, argv: Record<string, unknown>): Promise<boolean> {
  const e = engineArgs(argv, req.data);
  let limit = e.memoryLimit;
  if (e.engine === null && limit === null) {
    if (req.data === undefined || !isParquetPath(req.data)) return false;
    limit = await autoLimit({ kind: 'parquet', path: req.data }, spec, req.target);
    if (limit === null) return false;
  }
  if (req.testSize !== null) throw new CliError(`--test-size needs the rows in memory; a ${e.engine !== null ? 'pushed-down' : 'streamed'} fit uses them all (hold rows out in the query instead)`);
  if (req.summary) throw new CliError(`--summary needs the rows in memory; a ${e.engine !== null ? 'pushed-down' : 'streamed'} fit does not keep them`);
  try {
    if (e.engine !== null) await trainPushdown(req, spec, e);
    else await trainStreamed(req, spec, e, limit!);
  } catch (err) {
    if (err instanceof EngineError) throw new CliError(err.message);
    throw err;
  }
  return true;
}

/** Rows × columns read × 8 bytes of a Parquet source: a kernel-memory limit when above AUTO_STREAM_BYTES, else null. */
async function autoLimit(src: DuckSource, spec: DesignSpec, target: string | undefined): Promise<number | null> {
  const s = await DuckSession.open();
  try {
    const schema = await s.schema(src);
    const names = schema.map((c) => c.name);
    const t = target ?? spec.target ?? (spec.formula ? parseFormula(spec.formula).response : null) ?? names[names.length - 1]!;
    let cols = names.length;
    try {
      cols = columnsNeeded({ ...spec, target: t }, names).length;
    } catch {
      // the fit reports a bad spec
    }
    const rows = await s.rows(`SELECT CAST(COUNT(*) AS DOUBLE) FROM ${duckRelation(src)}`, duckSourceName(src));
    return Number(rows[0]![0]) * cols * 8 > AUTO_STREAM_BYTES ? AUTO_LIMIT : null;
  } finally {
    s.close();
  }
}

/** The target: --target, the formula's response, a bundled set's, else the last column. */
function targetOf(req: TrainRequest, spec: DesignSpec, names: readonly string[], bundledTarget: string | null): { target: string; defaulted: boolean } {
  const given = req.target ?? (spec.formula ? parseFormula(spec.formula).response : null) ?? null;
  if (given !== null) return { target: given, defaulted: false };
  if (bundledTarget !== null) return { target: bundledTarget, defaulted: false };
  return { target: names[names.length - 1]!, defaulted: true };
}

/** The streamed route: a batch source over the data, then streamFit. */
async function trainStreamed(req: TrainRequest, spec: DesignSpec, e: EngineArgs, limit: number): Promise<void> {
  let source: BatchSource;
  let where: string;
  let session: DuckSession | null = null;
  let target: { target: string; defaulted: boolean };
  try {
    if (e.sql !== null || (req.data !== undefined && isParquetPath(req.data))) {
      const src: DuckSource = e.sql !== null ? { kind: 'sql', sql: e.sql } : { kind: 'parquet', path: req.data! };
      session = await DuckSession.open();
      const schema = await session.schema(src);
      const names = schema.map((c) => c.name);
      target = targetOf(req, spec, names, null);
      const wanted = columnsNeeded({ ...spec, target: target.target }, names);
      const plans = await session.plan(src, wanted, schema);
      source = duckBatchSource(session, src, names, plans);
      where = duckSourceName(src);
    } else {
      if (req.data === undefined) throw new CliError('train needs a data set: --data, or --sql');
      const bundledTarget = req.data === '-' ? null : (resolveDataArg(req.data).target ?? null);
      const chosen: { target: string; defaulted: boolean }[] = [];
      const loaded = loadTable(req.data, {
        ...req.csv,
        select: (names) => {
          chosen.push(targetOf(req, spec, names, bundledTarget));
          return columnsNeeded({ ...spec, target: chosen[0]!.target }, names);
        },
      });
      target = chosen[0]!;
      source = tableSource(loaded.table);
      where = loaded.bundled === null ? loaded.path : `${loaded.bundled} (bundled)`;
    }
    const progress = fitProgress(!req.quiet && !req.json, req.options.maxIter ?? defaultMaxIter(req.options.solver ?? 'auto'));
    let fitted;
    try {
      fitted = await streamFit({
        source, spec: { ...spec, target: target.target, intercept: req.options.fitIntercept ?? true }, model: req.model,
        options: { ...req.options, onIteration: progress.onIteration }, memoryLimit: limit,
      });
    } finally {
      progress.stop();
    }
    finish(req, fitted.model, where, target, { kind: 'streamed', limit, report: fitted.report });
  } finally {
    session?.close();
  }
}

/** The pushdown route: the engine's relation, then pushdownFit. */
async function trainPushdown(req: TrainRequest, spec: DesignSpec, e: EngineArgs): Promise<void> {
  const target = e.engine!;
  let relation: string;
  let name: string;
  if (e.table !== null) {
    relation = tableRelation(e.table);
    name = `${target.kind} table ${e.table}`;
  } else if (e.sql !== null) {
    relation = queryRelation(e.sql);
    name = 'the --sql query';
  } else {
    relation = duckRelation({ kind: 'parquet', path: req.data! });
    name = req.data!;
  }
  const engine = SyncEngine.open(target);
  try {
    const names = engine.describe(relation).map((c) => c.name);
    const t = targetOf(req, spec, names, null);
    const progress = fitProgress(!req.quiet && !req.json, req.options.maxIter ?? defaultMaxIter(req.options.solver ?? 'auto'));
    let fitted;
    try {
      fitted = pushdownFit({
        engine, dialect: target.kind, relation, name, spec: { ...spec, target: t.target, intercept: req.options.fitIntercept ?? true }, model: req.model,
        options: { ...req.options, onIteration: progress.onIteration },
      });
    } finally {
      progress.stop();
    }
    const where = target.kind === 'postgres' ? `${name} at ${redact(target.url)}` : `${name}${target.database === ':memory:' ? '' : ` in ${target.database}`}`;
    finish(req, fitted.model, where, t, { kind: 'pushdown', engine: target.kind, report: fitted.report });
  } finally {
    engine.close();
  }
}

type Route = { kind: 'streamed'; limit: number; report: StreamReport } | { kind: 'pushdown'; engine: string; report: PushdownReport };

/** A size in binary units, for the report. */
function size(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** Writes the model (--out) and prints the report of a streamed or pushed-down fit. */
function finish(req: TrainRequest, model: Classifier, where: string, target: { target: string; defaulted: boolean }, route: Route): void {
  if (req.out !== null) writeOutput(req.out, `${JSON.stringify(model.toJSON(), null, 1)}\n`, '--out');
  const dg = model.diagnostics;
  const names = model.featureNames ?? [];
  const r = route.report;
  const warnings = [...r.warnings, ...(dg.separation?.status === 'not-checked' ? ['separation (whether the unpenalized estimate exists) is not checked on rows outside memory'] : [])];
  const o = model.options;
  if (req.json) {
    const routeJson = route.kind === 'streamed'
      ? {
        route: 'streamed', memory_limit: route.limit, batches: route.report.batches, batch_rows: route.report.batchRows, aligned_with_memory: route.report.aligned,
        passes: route.report.passes, spill_bytes: route.report.spillBytes, threads: route.report.threads,
        seconds: { design_pass: route.report.seconds.design, coding_pass: route.report.seconds.coding, fit: route.report.seconds.fit },
      }
      : {
        route: 'pushdown', engine: route.engine, queries: route.report.queries, passes: route.report.passes, pass_seconds: route.report.passSeconds,
        pass_sql: route.report.passSql,
      };
    process.stdout.write(`${JSON.stringify({
      data: where, target: target.target, target_defaulted: target.defaulted, formula: model.design?.formula ?? null, model: model.kind, classes: model.classes,
      n_samples: r.n, n_features: model.nFeatures, features: names, rows_dropped: r.dropped,
      objective: dg.objective, log_loss: r.training.logLoss, accuracy: r.training.accuracy, iterations: dg.iterations, converged: dg.converged,
      reason: dg.reason, grad_norm: dg.gradNorm, fit_seconds: dg.fitSeconds, solver: dg.solver, method: dg.method,
      C: o.penalty === 'none' ? null : o.C, penalty: o.penalty, ...(o.penalty === 'elasticnet' ? { l1_ratio: o.l1Ratio } : {}),
      standardize: o.standardize, evaluations: dg.evaluations, separation: dg.separation, coefficients: coefficientsJson(model), warnings,
      ...routeJson, ...(req.out === null ? {} : { out: req.out.given }),
    })}\n`);
    return;
  }
  const lines: string[] = [];
  lines.push(`logreg train: ${where} (${route.kind === 'streamed' ? 'streamed' : `pushed down to ${route.engine}`})`);
  lines.push(`  target      ${target.target}${target.defaulted ? ' (the last column, since --target was not given)' : ''}`);
  lines.push(`  data        ${r.n} rows; ${names.length} model columns; ${model.classes.length} classes: ${classNames(model.classes)}`);
  if (r.dropped > 0) lines.push(`  dropped     ${r.dropped} row${r.dropped === 1 ? '' : 's'} with a missing value (--missing drop)`);
  if (model.design?.formula) lines.push(`  formula     ${model.design.formula}`);
  const penalty = o.penalty === 'none' ? 'no penalty' : o.penalty === 'l2' ? `L2 with C = ${fmt(o.C)}` : o.penalty === 'l1' ? `L1 with C = ${fmt(o.C)}` : `elastic net with C = ${fmt(o.C)}, l1 ratio ${fmt(o.l1Ratio)}`;
  lines.push(`  model       ${model.kind === 'binary' ? 'binary logistic' : 'softmax'} regression, solver ${o.solver}${dg.method !== o.solver ? ` (${dg.method})` : ''}, ${penalty}${o.standardize ? ', standardized numeric columns' : ''}${model.design?.weightColumn ? ', sample weights' : ''}`);
  lines.push(`  fit         ${dg.converged ? 'converged' : 'DID NOT CONVERGE'} after ${dg.iterations} iterations (${dg.reason}) in ${fmt(dg.fitSeconds, 3)} s`);
  lines.push(`  objective   ${dg.objective.toPrecision(15)}   (largest gradient component ${dg.gradNorm.toExponential(2)})`);
  lines.push(`  training    log loss ${fmt(r.training.logLoss)}   accuracy ${fmt(r.training.accuracy, 4)}`);
  if (route.kind === 'streamed') {
    const s = route.report;
    lines.push(`  streamed    ${s.batches} batch${s.batches === 1 ? '' : 'es'} of at most ${s.batchRows} rows through ${size(route.limit)} of kernel memory${s.aligned ? ' (the in-memory chunks: passes bit-identical to an in-memory fit)' : ''}`);
    lines.push(`  passes      ${s.passes.total} over the data: ${s.passes.source} reading the source, ${s.passes.standardize ? `${s.passes.standardize} standardizing, ` : ''}${s.passes.solver} by the solver, ${s.passes.report} for this report`);
  } else {
    const s = route.report;
    lines.push(`  pushdown    ${s.queries.total} queries to ${route.engine}: ${s.queries.design} for the design, ${s.queries.passes} for ${s.passes} passes of the solver (${fmt(s.passSeconds, 3)} s a pass), ${s.queries.report} for this report`);
  }
  lines.push('', ...coefficientLines(model));
  if (!dg.converged) lines.push('', '  warning: the optimizer stopped before the tolerance was met; try --max-iter or --standardize');
  for (const w of warnings) lines.push(`  warning: ${w}`);
  if (req.out !== null) lines.push('', `  model written to ${req.out.given}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
