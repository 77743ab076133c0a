/**
 * The engines benchmark: `npm run bench:engines` (or `npm run bench -- --engines`, after part 1).
 *
 * 1. Data, written once by DuckDB's own range() and random() into bench/data/ (ignored by git) and
 *    kept for reruns: engines-10m.parquet and engines-60m.parquet, 10 uniform columns x0…x9 and a
 *    0/1 label y drawn from a logistic model of them. The 60M file holds 660M values, more than
 *    the 4 GiB of kernel memory (about 500M float64s).
 * 2. Pass throughput on the 10M file (its columns read into memory first, so both sides see the
 *    same rows): one value-and-gradient pass in memory (LinearModelObjective, one thread and every
 *    thread) against one streamed pass (StreamObjective over the spilled rows, 512 MiB of kernel
 *    memory, the file in the OS cache), alternating, median of 5 each. The streamed pass's batches
 *    are the in-memory chunks, so both compute the same sums bit for bit (checked).
 * 3. The 60M × 10 fit through the command, `logreg train --data engines-60m.parquet
 *    --memory-limit 1GiB --json`, under /usr/bin/time: wall time, peak RSS, passes over the data.
 * 4. Pushdown: the time of one pass query on DuckDB (the 10M Parquet file read in place, and the
 *    same rows as a DuckDB table) and on PostgreSQL 15 (a throw-away cluster on a Unix socket, a
 *    table of 1M and 10M rows made by generate_series), the mean over the passes of a short fit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckSession, readDuckTable } from '../dist/data/duckdb.js';
import { buildDesign } from '../dist/design/modelFrame.js';
import { binomialLoss } from '../dist/loss/binomial.js';
import { makeLayout } from '../dist/loss/layout.js';
import { LinearModelObjective } from '../dist/loss/objective.js';
import { SyncEngine } from '../dist/engine/bridge.js';
import { tableSource } from '../dist/engine/source.js';
import { prepareStream } from '../dist/engine/streamFit.js';
import { pushdownFit } from '../dist/engine/pushdown.js';
import { warmUp } from '../dist/index.js';
import { findPgBin, startCluster } from '../test/engine/pgCluster.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, 'bench', 'data');
const cli = join(root, 'dist', 'cli', 'main.js');

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

/** Writes bench/data/<file> with `rows` rows by DuckDB, unless it is there. */
async function ensureParquet(file: string, rows: number): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, file);
  if (existsSync(path)) return path;
  console.log(`writing ${path} (${rows} rows, DuckDB range() and random(); a few minutes for 60M)`);
  const t0 = performance.now();
  const s = await DuckSession.open();
  try {
    const xs = Array.from({ length: 10 }, (_, j) => `random() * 2 - 1 AS x${j}`).join(', ');
    const z = 'x0 - 0.5 * x1 + 0.25 * x2 + 0.8 * x3 - 0.3 * x4 + 0.1 * x5';
    await s.rows(
      `COPY (SELECT *, CAST(random() < 1 / (1 + exp(-(${z}))) AS INTEGER) AS y FROM (SELECT ${xs} FROM range(${rows}))) TO '${path}' (FORMAT parquet)`,
      path,
    );
  } finally {
    s.close();
  }
  console.log(`  written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return path;
}

/** Seconds of one call of f. */
function timeOf(f: () => void): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

/** Part 2: in-memory against streamed passes on the same rows. */
async function throughput(path: string): Promise<void> {
  const table = await readDuckTable({ kind: 'parquet', path });
  const n = table.n;
  const spec = { target: 'y' };
  const { frame } = buildDesign(table, spec, null, n * 12 + (1 << 16));
  const layout = makeLayout(10, 1, true);
  const mem = (threads: number) => new LinearModelObjective({ X: frame.matrix, loss: binomialLoss, layout, y: frame.response!.yIdx, weights: null, C: 1, threads });
  const one = mem(1);
  const all = mem(2);
  const ps = await prepareStream({ source: tableSource(table), spec, model: 'binary', options: { solver: 'lbfgs' }, memoryLimit: 512 * 2 ** 20 });
  const x = Float64Array.from({ length: layout.dim }, (_, j) => 0.01 * (j + 1));
  const g1 = new Float64Array(layout.dim);
  const g2 = new Float64Array(layout.dim);
  try {
    const f1 = all.valueAndGradient(x, g1);
    const f2 = ps.objective.valueAndGradient(x, g2);
    const same = f1 === f2 && g1.every((v, j) => v === g2[j]);
    const t = { one: [] as number[], all: [] as number[], stream: [] as number[] };
    for (let r = 0; r < 5; r++) {
      t.one.push(timeOf(() => one.valueAndGradient(x, g1)));
      t.all.push(timeOf(() => all.valueAndGradient(x, g1)));
      t.stream.push(timeOf(() => ps.objective.valueAndGradient(x, g2)));
    }
    const gb = (n * ps.spill.rowBytes) / 1e9;
    console.log(`One value-and-gradient pass over ${n} × 10 (binary), median of 5, alternating:`);
    printTable(['route', 'seconds', 'rows/s', 'GB/s of rows', 'vs in memory (all threads)'], [
      ['in memory, 1 thread', median(t.one).toFixed(3), (n / median(t.one) / 1e6).toFixed(1) + 'M', (gb / median(t.one)).toFixed(2), (median(t.all) / median(t.one)).toFixed(2)],
      ['in memory, 2 threads', median(t.all).toFixed(3), (n / median(t.all) / 1e6).toFixed(1) + 'M', (gb / median(t.all)).toFixed(2), '1.00'],
      [`streamed (${ps.objective.batchCount} batches, ${ps.objective.threads} threads + read-ahead)`, median(t.stream).toFixed(3), (n / median(t.stream) / 1e6).toFixed(1) + 'M',
        (gb / median(t.stream)).toFixed(2), (median(t.all) / median(t.stream)).toFixed(2)],
    ]);
    console.log(`(streamed batches ${ps.aligned ? 'are' : 'are not'} the in-memory chunks; value and gradient ${same ? 'bit-identical' : 'DIFFER'} to the in-memory pass's; rows ${ps.spill.rowBytes} bytes each on disk)\n`);
  } finally {
    ps.close();
  }
}

/** Part 3: the 60M × 10 fit through the command. */
function largeFit(path: string): void {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, 'train', '--data', path, '--target', 'y', '--memory-limit', '1GiB', '--json', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the 60M fit failed: ${r.stderr}`);
  const [wall, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const j = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as {
    n_samples: number; objective: number; iterations: number; fit_seconds: number; passes: { total: number; solver: number; source: number }; batches: number; batch_rows: number;
    seconds: { design_pass: number; coding_pass: number };
  };
  console.log(`60M × 10 from Parquet (${j.n_samples} rows, ${(j.n_samples * 11 / 1e6).toFixed(0)}M values), logreg train --memory-limit 1GiB:`);
  printTable(['wall s', 'fit s', 'peak RSS MiB', 'iterations', 'passes (source + solver + …)', 'batches × rows', 'objective'], [[
    wall!.toFixed(1), j.fit_seconds.toFixed(1), (kb! / 1024).toFixed(0), String(j.iterations), `${j.passes.total} (${j.passes.source} + ${j.passes.solver} + …)`, `${j.batches} × ${j.batch_rows}`,
    j.objective.toPrecision(12),
  ]]);
  console.log(`(the design pass over the Parquet file took ${j.seconds.design_pass.toFixed(1)} s, the coding pass ${j.seconds.coding_pass.toFixed(1)} s; a solver pass ${(j.fit_seconds / j.passes.solver).toFixed(2)} s)\n`);
}

/** One pass query's seconds on an engine: the mean over the passes of a pushed-down fit stopped after 2 iterations. */
function pushdownPass(engine: SyncEngine, dialect: 'duckdb' | 'postgres', relation: string): number {
  const { report } = pushdownFit({ engine, dialect, relation, name: relation, spec: { target: 'y' }, model: 'binary', options: { solver: 'lbfgs', maxIter: 2 } });
  return report.passSeconds;
}

/** Part 4: pushdown pass times. */
function pushdown(path10m: string): void {
  const rows: string[][] = [];
  const duck = SyncEngine.open({ kind: 'duckdb', database: ':memory:' });
  try {
    rows.push(['DuckDB, read_parquet (10M rows)', pushdownPass(duck, 'duckdb', `read_parquet('${path10m}')`).toFixed(3)]);
    duck.query(`CREATE TABLE t AS SELECT * FROM read_parquet('${path10m}')`);
    rows.push(['DuckDB, table in memory (10M rows)', pushdownPass(duck, 'duckdb', 't').toFixed(3)]);
  } finally {
    duck.close();
  }
  if (findPgBin() === null) {
    rows.push(['PostgreSQL', 'skipped: no initdb (apt-get install postgresql)']);
  } else {
    const cluster = startCluster()!;
    const pg = SyncEngine.open({ kind: 'postgres', url: cluster.url });
    try {
      for (const n of [1_000_000, 10_000_000]) {
        const xs = Array.from({ length: 10 }, (_, j) => `random() * 2 - 1 AS x${j}`).join(', ');
        pg.query(`DROP TABLE IF EXISTS t${n}`);
        pg.query(`CREATE TABLE t${n} AS SELECT *, CAST(random() < 1 / (1 + exp(-(x0 - 0.5 * x1 + 0.25 * x2))) AS INTEGER) AS y FROM (SELECT ${xs} FROM generate_series(1, ${n})) AS g`);
        pg.query(`ANALYZE t${n}`);
        rows.push([`PostgreSQL 15, table (${n / 1e6}M rows)`, pushdownPass(pg, 'postgres', `t${n}`).toFixed(3)]);
      }
    } finally {
      pg.close();
      cluster.stop();
    }
  }
  console.log('Pushdown: one value-and-gradient pass query (10 columns, binary), mean over a short fit\'s passes:');
  printTable(['engine', 'seconds a pass'], rows);
  console.log('');
}

// --only throughput|large|pushdown runs one part (the data are made as needed).
const i = process.argv.indexOf('--only');
const only = i >= 0 ? process.argv[i + 1] : undefined;
warmUp();
const p10 = await ensureParquet('engines-10m.parquet', 10_000_000);
if (only === undefined || only === 'throughput') await throughput(p10);
if (only === undefined || only === 'large') largeFit(await ensureParquet('engines-60m.parquet', 60_000_000));
if (only === undefined || only === 'pushdown') pushdown(p10);
