import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { DuckSession, readDuckTable } from '../../src/data/duckdb.js';
import { SyncEngine } from '../../src/engine/bridge.js';
import { pushdownFit } from '../../src/engine/pushdown.js';
import { duckBatchSource, tableSource } from '../../src/engine/source.js';
import { streamFit } from '../../src/engine/streamFit.js';
import { logreg, tempDir } from '../helpers/cli.js';
import { ROUTE_CASES, csvOf, inMemory, json, rel, stem } from './cases.js';

/**
 * DuckDB as a source (Parquet files and globs, --sql queries, read into columns or streamed) and
 * as an engine (pushed-down passes, `logreg sql` scoring). The Parquet files and the database are
 * written here, by DuckDB, from the bundled CSV files and test/fixtures/tabular/ (a CSV's missing
 * cells, empty or NA, become NULL).
 */

const SETS = ['breast-cancer', 'iris', 'spector', 'birthwt', 'digits', 'infert_weighted.csv', 'birthwt_missing.csv'];

let dir = '';
let db = '';
const pq = (name: string) => join(dir, `${stem(name)}.parquet`);

beforeAll(async () => {
  dir = tempDir();
  db = join(dir, 'sets.duckdb');
  const s = await DuckSession.open(':memory:');
  try {
    await s.rows(`ATTACH '${db}' AS sets`, 'attach');
    for (const name of SETS) {
      const rel = `read_csv('${csvOf(name)}', nullstr = ['', 'NA'])`;
      await s.rows(`COPY (SELECT * FROM ${rel}) TO '${pq(name)}' (FORMAT parquet)`, name);
      await s.rows(`CREATE TABLE sets.${stem(name)} AS SELECT * FROM ${rel}`, name);
    }
    // birthwt in two files, for a glob; and with age as text, for a wrong column type.
    await s.rows(`COPY (SELECT * FROM read_parquet('${pq('birthwt')}') LIMIT 100) TO '${join(dir, 'part-1.parquet')}' (FORMAT parquet)`, 'part 1');
    await s.rows(`COPY (SELECT * FROM read_parquet('${pq('birthwt')}') OFFSET 100) TO '${join(dir, 'part-2.parquet')}' (FORMAT parquet)`, 'part 2');
    await s.rows(`COPY (SELECT * REPLACE (CAST(age AS VARCHAR) || ' years' AS age) FROM read_parquet('${pq('birthwt')}')) TO '${join(dir, 'age_text.parquet')}' (FORMAT parquet)`, 'text');
    await s.rows(`CREATE TABLE sets.age_text AS SELECT * FROM read_parquet('${join(dir, 'age_text.parquet')}')`, 'text');
    await s.rows('DETACH sets', 'detach');
  } finally {
    s.close();
  }
}, 120_000);


describe('reading Parquet through DuckDB', () => {
  for (const name of SETS) {
    it(`${name}: the same table as the CSV reader's`, async () => {
      const csv = readCsv(csvOf(name));
      const duck = await readDuckTable({ kind: 'parquet', path: pq(name) });
      expect(duck.n).toBe(csv.n);
      expect(duck.names).toEqual(csv.names);
      duck.columns.forEach((c, j) => {
        const d = csv.columns[j]!;
        expect(c.name).toBe(d.name);
        expect(c.kind).toBe(d.kind);
        if (c.kind === 'numeric' && d.kind === 'numeric') expect(Array.from(c.values)).toEqual(Array.from(d.values));
        if (c.kind === 'categorical' && d.kind === 'categorical') {
          expect(c.levels).toEqual(d.levels);
          expect(Array.from(c.codes)).toEqual(Array.from(d.codes));
          expect(c.missing).toBe(d.missing);
        }
      });
    });
  }

  it('a glob of files reads their rows in order; --sql reads a query', async () => {
    const whole = await readDuckTable({ kind: 'parquet', path: pq('birthwt') });
    const glob = await readDuckTable({ kind: 'parquet', path: join(dir, 'part-*.parquet') });
    const sql = await readDuckTable({ kind: 'sql', sql: `SELECT age, race, low FROM read_parquet('${pq('birthwt')}') WHERE lwt > 0` });
    expect(glob.columns).toEqual(whole.columns);
    expect(sql.columns.map((c) => c.name)).toEqual(['age', 'race', 'low']);
    expect(sql.columns[1]).toEqual(whole.columns.find((c) => c.name === 'race'));
  });
});

describe('the command on Parquet and --sql sources', () => {
  it('train, predict and evaluate give what they give on the CSV file', () => {
    const args = ['--formula', 'low ~ age + lwt + race*smoke', '--standardize', '--json'];
    const a = logreg(['train', '--data', csvOf('birthwt'), ...args, '--out', join(dir, 'bw-csv.json')]);
    const b = logreg(['train', '--data', pq('birthwt'), ...args, '--out', join(dir, 'bw.json')]);
    const c = logreg(['train', '--data', join(dir, 'part-*.parquet'), ...args]);
    for (const r of [a, b, c]) expect(r.stderr).toBe('');
    expect(json(b.stdout).objective).toBe(json(a.stdout).objective);
    expect(json(b.stdout).coefficients).toEqual(json(a.stdout).coefficients);
    expect(json(c.stdout).coefficients).toEqual(json(a.stdout).coefficients);
    const p1 = logreg(['predict', '--model', join(dir, 'bw.json'), '--data', csvOf('birthwt')]);
    const p2 = logreg(['predict', '--model', join(dir, 'bw.json'), '--data', pq('birthwt')]);
    expect(p2.stdout).toBe(p1.stdout);
    const e1 = logreg(['evaluate', '--model', join(dir, 'bw.json'), '--data', csvOf('birthwt'), '--json']);
    const e2 = logreg(['evaluate', '--model', join(dir, 'bw.json'), '--sql', `SELECT * FROM read_parquet('${pq('birthwt')}')`, '--json']);
    expect({ ...json(e2.stdout), data: null }).toEqual({ ...json(e1.stdout), data: null });
  });

  it('a streamed fit of a Parquet file (--memory-limit) is bit-identical to the in-memory fit of the CSV file', () => {
    // digits: 1797 rows of 516 bytes in 4 chunks; 1 MiB holds two slots of the largest.
    const a = json(logreg(['train', '--data', csvOf('digits'), '--standardize', '--solver', 'lbfgs', '--json']).stdout);
    const r = logreg(['train', '--data', pq('digits'), '--standardize', '--solver', 'lbfgs', '--memory-limit', '1M', '--json']);
    expect(r.stderr).toBe('');
    const b = json(r.stdout);
    expect(b.route).toBe('streamed');
    expect(b.aligned_with_memory).toBe(true);
    expect(b.batches).toBe(4);
    expect(b.objective).toBe(a.objective);
    expect(b.coefficients).toEqual(a.coefficients);
    expect(b.log_loss).toBe(a.log_loss);
  });

  it('streaming from DuckDB and from the table in memory code the same rows', async () => {
    const s = await DuckSession.open();
    try {
      const src = { kind: 'parquet' as const, path: pq('birthwt_missing.csv') };
      const schema = await s.schema(src);
      const plans = await s.plan(src, schema.map((c) => c.name), schema);
      const spec = { target: 'low', formula: 'low ~ age + lwt + race*smoke + ftv', missing: 'mean' as const };
      const options = { standardize: true, solver: 'lbfgs' as const };
      const viaDuck = await streamFit({ source: duckBatchSource(s, src, schema.map((c) => c.name), plans), spec, model: 'auto', options, memoryLimit: 2048 });
      const viaTable = await streamFit({ source: tableSource(readCsv(csvOf('birthwt_missing.csv'))), spec, model: 'auto', options, memoryLimit: 2048 });
      expect(viaDuck.model.design).toEqual(viaTable.model.design);
      expect(viaDuck.model.coef).toEqual(viaTable.model.coef);
      expect(viaDuck.report.n).toBe(189);
    } finally {
      s.close();
    }
  });
});

describe('DuckDB pushdown: the same optimum as in memory', () => {
  let engine: SyncEngine;
  beforeAll(() => {
    engine = SyncEngine.open({ kind: 'duckdb', database: db });
  });
  afterAll(() => engine.close());
  for (const [name, target, options] of ROUTE_CASES) {
    it(`${name} ${JSON.stringify(options)}`, () => {
      const ref = inMemory(name, target, options);
      const { model, report } = pushdownFit({ engine, dialect: 'duckdb', relation: stem(name), name, spec: ref.spec, model: 'auto', options: ref.model });
      expect(rel(model.diagnostics.objective, ref.fitted.diagnostics.objective)).toBeLessThan(1e-10);
      expect(model.diagnostics.converged).toBe(true);
      expect(model.design).toEqual(ref.fitted.design);
      expect(report.queries.passes).toBe(report.passes);
      // The data term alone moves to first order with the coefficients (its gradient is the penalty's, not 0).
      expect(rel(report.training.logLoss, ref.fitted.trainingScores().logLoss)).toBeLessThan(1e-6);
    });
  }

  it('train --engine duckdb: the model file predicts as the in-memory one', () => {
    const out = join(dir, 'pushed.json');
    const r = logreg(['train', '--engine', `duckdb:${db}`, '--table', 'birthwt', '--formula', 'low ~ age + lwt + race*smoke', '--standardize', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    const j = json(r.stdout);
    expect(j.route).toBe('pushdown');
    expect(String(j.pass_sql)).toMatch(/^SELECT CAST\(SUM\(s \* l\) AS DOUBLE PRECISION\)/);
    const mem = json(logreg(['train', '--data', csvOf('birthwt'), '--formula', 'low ~ age + lwt + race*smoke', '--standardize', '--json']).stdout);
    expect(rel(j.objective as number, mem.objective as number)).toBeLessThan(1e-10);
    const p = logreg(['predict', '--model', out, '--data', csvOf('birthwt'), '--labels-only']).stdout;
    const q = logreg(['train', '--data', csvOf('birthwt'), '--formula', 'low ~ age + lwt + race*smoke', '--standardize', '--out', join(dir, 'mem.json')]);
    expect(q.status).toBe(0);
    expect(p).toBe(logreg(['predict', '--model', join(dir, 'mem.json'), '--data', csvOf('birthwt'), '--labels-only']).stdout);
  });
});

describe('logreg sql: scoring inside DuckDB', () => {
  const cases: Array<[string, string, string[]]> = [
    ['birthwt', 'birthwt', ['--formula', 'low ~ age + lwt + race*smoke + C(ftv)', '--standardize']],
    ['iris', 'iris', ['--standardize']],
    ['birthwt_missing.csv', 'birthwt_missing', ['--formula', 'low ~ age + lwt + race + smoke', '--missing', 'mean']],
  ];
  for (const [name, table, args] of cases) {
    it(`${name} ${args.join(' ')}: the SELECT gives predict's classes and probabilities`, async () => {
      const model = join(dir, `${table}-sql.json`);
      expect(logreg(['train', '--data', csvOf(name), ...args, '--out', model]).status).toBe(0);
      const sql = logreg(['sql', '--model', model, '--table', table]);
      expect(sql.stderr).toBe('');
      const engine = SyncEngine.open({ kind: 'duckdb', database: db });
      let rows: unknown[][];
      try {
        rows = engine.query(`SELECT * FROM (${sql.stdout.trim().replace(/;$/, '')}) AS q`);
      } finally {
        engine.close();
      }
      const lines = logreg(['predict', '--model', model, '--data', csvOf(name)]).stdout.trim().split('\n');
      const header = lines[0]!.split(',');
      expect(rows.length).toBe(lines.length - 1);
      const width = rows[0]!.length;
      rows.forEach((row, i) => {
        const cells = lines[i + 1]!.split(',');
        const tail = row.slice(width - header.length);
        expect(String(tail[0])).toBe(cells[0]);
        for (let k = 1; k < header.length; k++) expect(Math.abs(Number(tail[k]) - Number(cells[k]))).toBeLessThan(1e-12);
      });
    });
  }
});

describe('errors through DuckDB: one line, nothing written', () => {
  const fails = (args: string[], pattern: RegExp) => {
    const out = join(dir, 'not-written.json');
    const r = logreg([...args, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(out)).toBe(false);
  };
  it('a Parquet file that is not there', () => fails(['train', '--data', join(dir, 'nosuch.parquet')], /nosuch\.parquet/));
  it('a table that is not there', () => fails(['train', '--engine', `duckdb:${db}`, '--table', 'nosuch'], /nosuch/));
  it('a column that is not there', () => {
    fails(['train', '--data', pq('birthwt'), '--features', 'age,nosuch', '--target', 'low'], /nosuch/);
    fails(['train', '--engine', `duckdb:${db}`, '--table', 'birthwt', '--target', 'nosuch'], /has no target column "nosuch"/);
    // Read into memory, the message names the source, as for a CSV file.
    fails(['train', '--data', pq('birthwt'), '--target', 'nosuch'], /birthwt\.parquet: has no target column "nosuch"/);
    fails(['train', '--sql', `SELECT * FROM read_parquet('${pq('birthwt')}')`, '--target', 'nosuch'], /^logreg: the --sql query: has no target column "nosuch"/);
  });
  it('a text column used as a number', () => {
    const model = join(dir, 'age.json');
    expect(logreg(['train', '--data', csvOf('birthwt'), '--formula', 'low ~ age + race', '--out', model]).status).toBe(0);
    const r = logreg(['predict', '--model', model, '--data', join(dir, 'age_text.parquet')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/"19 years" is not a number/);
    fails(['train', '--engine', `duckdb:${db}`, '--table', 'birthwt', '--target', 'low', '--weight-column', 'race'], /"race": is not a numeric column of weights/);
  });
  it('a query DuckDB refuses', () => fails(['train', '--sql', 'SELEKT 1'], /the --sql query: Parser Error/));
  it('options that do not go together', () => {
    fails(['train', '--engine', 'duckdb', '--table', 't'], /needs a database file/);
    fails(['train', '--data', 'iris', '--memory-limit', 'lots'], /--memory-limit must be a size/);
    fails(['train', '--data', pq('iris'), '--memory-limit', '1M', '--summary'], /--summary needs the rows in memory/);
  });
});
