import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Table } from '../../src/data/table.js';

/**
 * A throw-away PostgreSQL cluster for the pushdown tests: initdb in a fresh temporary folder, the
 * server listening on a Unix socket in that folder only (no TCP), stopped and removed by `stop`.
 * Run as the `postgres` user (runuser) when the tests run as root, since the server refuses root.
 * Uses Debian's postgresql binaries (/usr/lib/postgresql/<version>/bin) or any initdb on PATH.
 * Nothing is downloaded; without initdb, `findInitdb` returns null and the tests say so.
 */

/** The folder of initdb/pg_ctl: on PATH, else the newest /usr/lib/postgresql/<version>/bin. */
export function findPgBin(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0]!, 'bin') : null;
}

export interface PgCluster {
  /** A connection string: the `postgres` database over the cluster's socket. */
  url: string;
  dir: string;
  stop(): void;
}

/** Starts a cluster (a few seconds), or returns null when no PostgreSQL binaries are installed. */
export function startCluster(): PgCluster | null {
  const bin = findPgBin();
  if (bin === null) return null;
  const dir = mkdtempSync(join(tmpdir(), 'logreg-pg-'));
  const root = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) => {
    const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
  };
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  try {
    as(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    as(join(bin, 'pg_ctl'), [
      '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-c listen_addresses='' -c unix_socket_directories='${dir}' -c fsync=off -c full_page_writes=off -c synchronous_commit=off`, 'start',
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}`,
    dir,
    stop() {
      try {
        as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Loads a table into the cluster as `name` (dropped first): numeric columns as DOUBLE PRECISION,
 * categorical ones as TEXT, missing values as NULL; rows inserted in batches of parameterized
 * INSERTs. `pg` is the test's own client module.
 */
export async function loadPgTable(url: string, name: string, table: Table): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await client.query(`DROP TABLE IF EXISTS ${q(name)}`);
    await client.query(`CREATE TABLE ${q(name)} (${table.columns.map((c) => `${q(c.name)} ${c.kind === 'numeric' ? 'DOUBLE PRECISION' : 'TEXT'}`).join(', ')})`);
    const per = Math.max(1, Math.floor(30000 / table.columns.length));
    for (let a = 0; a < table.n; a += per) {
      const b = Math.min(table.n, a + per);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = a; i < b; i++) {
        tuples.push(`(${table.columns.map((_, j) => `$${(i - a) * table.columns.length + j + 1}`).join(', ')})`);
        for (const c of table.columns) {
          if (c.kind === 'numeric') values.push(Number.isNaN(c.values[i]!) ? null : c.values[i]);
          else values.push(c.codes[i]! < 0 ? null : c.levels[c.codes[i]!]);
        }
      }
      await client.query(`INSERT INTO ${q(name)} VALUES ${tuples.join(', ')}`, values);
    }
  } finally {
    await client.end();
  }
}
