import { createRequire } from 'node:module';
import { EngineError } from '../data/engineError.js';
import { MissingPackageError } from '../util/lazy.js';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

/**
 * A SQL engine behind a synchronous call: the database client (DuckDB's `@duckdb/node-api` or
 * PostgreSQL's `pg`, both asynchronous) lives in a worker thread, and `query` blocks the calling
 * thread until the worker has the answer. The optimizers of src/optim are synchronous (they call
 * the objective and wait for its value), and a pushed-down pass is one query, so this is where the
 * asynchronous world is bridged.
 *
 * The mechanism is the one of the `synckit` package (not a dependency of this project): the request
 * goes to the worker over a MessageChannel; the worker posts the reply on the same channel, then
 * stores the request's number in a shared Int32 and wakes the caller (Atomics.notify); the caller,
 * asleep in Atomics.wait, takes the reply with receiveMessageOnPort, without turning the event loop.
 * About 40 lines, with no package to add for them.
 *
 * Every answer is plain data: rows as arrays of numbers, strings and nulls (queries cast what they
 * return to DOUBLE PRECISION or text), or an error message.
 */

/** Which engine, and where: DuckDB in process (':memory:' or a database file), or a PostgreSQL URL. */
export type EngineTarget = { kind: 'duckdb'; database: string } | { kind: 'postgres'; url: string };

/** A column of a relation as the engine types it: numeric (read as DOUBLE PRECISION) or not (read as text). */
export interface EngineColumn {
  name: string;
  numeric: boolean;
  /** The engine's type name (for messages). */
  type: string;
  /** Booleans: numeric through an integer cast in PostgreSQL. */
  boolean: boolean;
}

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { kind, modulePath, target, flag, port } = workerData;
const done = new Int32Array(flag);
let client = null;
const NUMERIC_PG = new Set([20, 21, 23, 26, 700, 701, 1700]);
const NUMERIC_DUCK = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\\(\\d+,\\s*\\d+\\))?|BOOLEAN)$/;
async function connect() {
  const mod = require(modulePath);
  if (kind === 'postgres') {
    client = new mod.Client({ connectionString: target, connectionTimeoutMillis: 15000 });
    client.on('error', () => {});
    await client.connect();
  } else {
    const inst = await mod.DuckDBInstance.create(target, target === ':memory:' ? {} : { access_mode: 'READ_ONLY' });
    client = { inst, con: await inst.connect() };
  }
}
async function run(sql, params) {
  if (kind === 'postgres') return (await client.query({ text: sql, values: params, rowMode: 'array' })).rows;
  const reader = await client.con.runAndReadAll(sql, params.length > 0 ? params : undefined);
  return reader.getRowsJS().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}
async function describe(relation) {
  if (kind === 'postgres') {
    const r = await client.query({ text: 'SELECT * FROM ' + relation + ' LIMIT 0', rowMode: 'array' });
    return r.fields.map((f) => ({ name: f.name, numeric: NUMERIC_PG.has(f.dataTypeID) || f.dataTypeID === 16, type: String(f.dataTypeID), boolean: f.dataTypeID === 16 }));
  }
  const rows = await run('DESCRIBE SELECT * FROM ' + relation, []);
  return rows.map((r) => ({ name: String(r[0]), numeric: NUMERIC_DUCK.test(String(r[1])), type: String(r[1]), boolean: String(r[1]) === 'BOOLEAN' }));
}
port.on('message', async (m) => {
  let reply;
  try {
    if (m.op === 'connect') { await connect(); reply = { id: m.id, rows: [] }; }
    else if (m.op === 'describe') reply = { id: m.id, rows: await describe(m.sql) };
    else if (m.op === 'close') {
      if (client !== null) { if (kind === 'postgres') await client.end(); else { client.con.closeSync(); client.inst.closeSync(); } }
      client = null;
      reply = { id: m.id, rows: [] };
    } else reply = { id: m.id, rows: await run(m.sql, m.params) };
  } catch (e) {
    reply = { id: m.id, error: String((e && e.message) || e).split('\\n')[0] };
  }
  port.postMessage(reply);
  Atomics.store(done, 0, m.id);
  Atomics.notify(done, 0);
});
`;

/** The package a target needs, resolved from here (so the worker finds it wherever the command runs). */
function clientModule(t: EngineTarget): string {
  const name = t.kind === 'postgres' ? 'pg' : '@duckdb/node-api';
  try {
    return createRequire(import.meta.url).resolve(name);
  } catch {
    throw new MissingPackageError(name, `--engine ${t.kind}`);
  }
}

/** A connection to a SQL engine with blocking calls (see the module comment). */
export class SyncEngine {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done: Int32Array;
  private id = 0;
  private closed = false;

  private constructor(readonly target: EngineTarget) {
    const modulePath = clientModule(target);
    const flag = new SharedArrayBuffer(4);
    this.done = new Int32Array(flag);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const where = target.kind === 'postgres' ? target.url : target.database;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { kind: target.kind, modulePath, target: where, flag, port: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  /** Connects (an unreachable database is an Error naming it). */
  static open(target: EngineTarget): SyncEngine {
    const e = new SyncEngine(target);
    try {
      e.call('connect', '', []);
    } catch (err) {
      e.close();
      const where = target.kind === 'postgres' ? redact(target.url) : target.database;
      throw new EngineError(`could not connect to ${target.kind} at ${where}: ${(err as Error).message}`);
    }
    return e;
  }

  /** Runs a query and returns its rows (blocking). `params` are the $1, $2, … values. */
  query(sql: string, params: readonly number[] = []): unknown[][] {
    return this.call('query', sql, params) as unknown[][];
  }

  /** The columns of a relation (a FROM item), with whether each is numeric. */
  describe(relation: string): EngineColumn[] {
    return this.call('describe', relation, []) as EngineColumn[];
  }

  private call(op: string, sql: string, params: readonly number[]): unknown[] {
    if (this.closed) throw new EngineError('the engine connection is closed');
    const id = ++this.id;
    this.port.postMessage({ id, op, sql, params: [...params] });
    while (Atomics.load(this.done, 0) !== id) Atomics.wait(this.done, 0, Atomics.load(this.done, 0), 1000);
    const msg = receiveMessageOnPort(this.port);
    if (msg === undefined) throw new EngineError('the engine thread gave no answer');
    const reply = msg.message as { id: number; rows?: unknown[]; error?: string };
    if (reply.error !== undefined) throw new EngineError(reply.error);
    return reply.rows!;
  }

  /** Closes the connection and ends the worker. */
  close(): void {
    if (this.closed) return;
    try {
      this.call('close', '', []);
    } catch {
      // closing a broken connection: nothing more to do
    }
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}

/** A PostgreSQL URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
