import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { SyncEngine } from '../../src/engine/bridge.js';
import { pushdownFit } from '../../src/engine/pushdown.js';
import { tableSource } from '../../src/engine/source.js';
import { streamFit } from '../../src/engine/streamFit.js';
import { logreg, tempDir } from '../helpers/cli.js';
import { ROUTE_CASES, csvOf, inMemory, json, rel, stem } from './cases.js';
import { type PgCluster, findPgBin, loadPgTable, startCluster } from './pgCluster.js';

/**
 * PostgreSQL pushdown against a throw-away cluster (pgCluster.ts: initdb in a temporary folder, a
 * Unix socket there, no TCP), and the same optimum by every route: in memory, streamed, DuckDB
 * pushdown and PostgreSQL pushdown, on the cases of cases.ts.
 *
 * Run by `npm run test:engines` (LOGREG_PG_TESTS=1; .ci/run installs Debian's postgresql first);
 * vitest.config.ts leaves this file out of a plain `npm test`, which should not start a database server.
 */

const SETS = ['breast-cancer', 'iris', 'spector', 'birthwt', 'infert_weighted.csv', 'birthwt_missing.csv'];

let cluster: PgCluster | null = null;
let dir = '';

describe('PostgreSQL pushdown', () => {
  beforeAll(async () => {
    if (findPgBin() === null) throw new Error('LOGREG_PG_TESTS=1 but no initdb: apt-get install postgresql');
    cluster = startCluster();
    dir = tempDir();
    for (const name of SETS) await loadPgTable(cluster!.url, stem(name), readCsv(csvOf(name)));
    // A view whose rows fail once enough of them have been read: a query that fails mid-fit.
    const c = new pg.Client({ connectionString: cluster!.url });
    await c.connect();
    await c.query('CREATE SEQUENCE rows_read');
    await c.query(`CREATE FUNCTION read_row() RETURNS double precision LANGUAGE plpgsql VOLATILE AS $$
      BEGIN IF nextval('rows_read') > 20000 THEN RAISE EXCEPTION 'the disk is on fire'; END IF; RETURN 1; END $$`);
    await c.query('CREATE VIEW fragile AS SELECT *, read_row() AS one FROM breast_cancer');
    await c.end();
  }, 120_000);
  afterAll(() => cluster?.stop());

  describe('the same optimum by every route (objectives within 1e-10 of the in-memory one)', () => {
    let duck: SyncEngine;
    let post: SyncEngine;
    beforeAll(() => {
      duck = SyncEngine.open({ kind: 'duckdb', database: ':memory:' });
      for (const name of SETS) duck.query(`CREATE TABLE ${stem(name)} AS SELECT * FROM read_csv('${csvOf(name)}', nullstr = ['', 'NA'])`);
      post = SyncEngine.open({ kind: 'postgres', url: cluster!.url });
    });
    afterAll(() => {
      duck?.close();
      post?.close();
    });
    for (const [name, target, options] of ROUTE_CASES) {
      it(`${name} ${JSON.stringify(options)}`, async () => {
        const ref = inMemory(name, target, options);
        const J = ref.fitted.diagnostics.objective;
        const streamed = await streamFit({ source: tableSource(ref.table), spec: ref.spec, model: 'auto', options: ref.model, memoryLimit: 4096 });
        const viaDuck = pushdownFit({ engine: duck, dialect: 'duckdb', relation: stem(name), name, spec: ref.spec, model: 'auto', options: ref.model });
        const viaPg = pushdownFit({ engine: post, dialect: 'postgres', relation: stem(name), name, spec: ref.spec, model: 'auto', options: ref.model });
        for (const m of [streamed.model, viaDuck.model, viaPg.model]) {
          expect(rel(m.diagnostics.objective, J)).toBeLessThan(1e-10);
          expect(m.diagnostics.converged).toBe(true);
          expect(m.design).toEqual(ref.fitted.design);
        }
        expect(viaPg.report.queries.passes).toBe(viaPg.report.passes);
      });
    }
  });

  it('train --engine postgres://…: the report, the pass SQL, and a model file that predicts', () => {
    const out = join(dir, 'pg.json');
    const args = ['--formula', 'low ~ age + lwt + race*smoke', '--standardize'];
    const r = logreg(['train', '--engine', cluster!.url, '--table', 'birthwt', ...args, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    const j = json(r.stdout);
    expect(j.route).toBe('pushdown');
    expect(j.engine).toBe('postgres');
    expect(String(j.pass_sql)).toContain('OFFSET 0');
    const mem = json(logreg(['train', '--data', csvOf('birthwt'), ...args, '--json', '--out', join(dir, 'mem.json')]).stdout);
    expect(rel(j.objective as number, mem.objective as number)).toBeLessThan(1e-10);
    const text = logreg(['train', '--engine', cluster!.url, '--table', 'birthwt', ...args]).stdout;
    expect(text).toMatch(/pushed down to postgres/);
    expect(text).toMatch(/pushdown +\d+ queries to postgres: \d+ for the design, \d+ for \d+ passes of the solver/);
    const a = logreg(['predict', '--model', out, '--data', csvOf('birthwt'), '--labels-only']).stdout;
    expect(a).toBe(logreg(['predict', '--model', join(dir, 'mem.json'), '--data', csvOf('birthwt'), '--labels-only']).stdout);
  });

  for (const [table, args] of [['birthwt', ['--formula', 'low ~ age + lwt + race*smoke + C(ftv)', '--standardize']], ['iris', ['--standardize']]] as const) {
    it(`logreg sql scores ${table} inside PostgreSQL as predict does`, async () => {
      const model = join(dir, `${table}-pg-sql.json`);
      expect(logreg(['train', '--data', csvOf(table), ...args, '--out', model]).status).toBe(0);
      const sql = logreg(['sql', '--model', model, '--table', table]).stdout;
      const c = new pg.Client({ connectionString: cluster!.url });
      await c.connect();
      const res = await c.query({ text: sql, rowMode: 'array' });
      await c.end();
      const lines = logreg(['predict', '--model', model, '--data', csvOf(table)]).stdout.trim().split('\n');
      const header = lines[0]!.split(',');
      expect(res.rows.length).toBe(lines.length - 1);
      (res.rows as unknown[][]).forEach((row, i) => {
        const cells = lines[i + 1]!.split(',');
        const tail = row.slice(row.length - header.length);
        expect(String(tail[0])).toBe(cells[0]);
        for (let k = 1; k < header.length; k++) expect(Math.abs(Number(tail[k]) - Number(cells[k]))).toBeLessThan(1e-12);
      });
    });
  }

  describe('errors: one line, exit code 1, nothing written', () => {
    const fails = (args: string[], pattern: RegExp) => {
      const out = join(dir, 'not-written.json');
      const r = logreg(['train', ...args, '--out', out]);
      expect(r.stderr).toMatch(pattern);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(existsSync(out)).toBe(false);
    };
    it('an unreachable database', () => fails(['--engine', 'postgresql://postgres:secret@127.0.0.1:1/postgres', '--table', 't'], /could not connect to postgres at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres: connect ECONNREFUSED/));
    it('a table that is not there', () => fails(['--engine', cluster!.url, '--table', 'nosuch'], /relation "nosuch" does not exist/));
    it('a column that is not there', () => fails(['--engine', cluster!.url, '--table', 'birthwt', '--target', 'low', '--features', 'age,nosuch'], /nosuch/));
    it('a text column used as a number', () => fails(['--engine', cluster!.url, '--table', 'birthwt', '--target', 'low', '--weight-column', 'race'], /"race": is not a numeric column of weights/));
    it('missing values under --missing refuse', () => fails(['--engine', cluster!.url, '--table', 'birthwt_missing', '--target', 'low'], /column "\w+" has \d+ missing values \(NULL\); --missing drop/));
    it('a query that fails mid-fit', () => fails(['--engine', cluster!.url, '--table', 'fragile', '--target', 'diagnosis', '--exclude', 'one', '--standardize'], /a pass query failed after [1-9]\d* passes: the disk is on fire/));
  });
});
