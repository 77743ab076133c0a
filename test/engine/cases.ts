import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../src/data/csv.js';
import { datasetsDir, loadBundled } from '../../src/data/registry.js';
import type { Table } from '../../src/data/table.js';
import { fit } from '../../src/model/fit.js';
import type { ModelOptions } from '../../src/model/options.js';

/**
 * The cases every route (in memory, streamed, DuckDB pushdown, PostgreSQL pushdown) is checked on,
 * and their in-memory fits, the reference of every route: the bundled sets (breast-cancer,
 * iris softmax, spector, birthwt with a factor and an interaction), a weighted case
 * (test/fixtures/tabular/infert_weighted.csv), and an L1 case.
 */

const fixtures = fileURLToPath(new URL('../fixtures/tabular/', import.meta.url));

/** The CSV file of a bundled set ('breast-cancer') or of a fixture ('infert_weighted.csv'). */
export const csvOf = (name: string): string => (name.endsWith('.csv') ? join(fixtures, name) : join(datasetsDir(), `${name.replace('-', '_')}.csv`));

/** A table name for a set: 'breast_cancer', 'infert_weighted'. */
export const stem = (name: string): string => name.replace('.csv', '').replace('-', '_');

export type CaseOptions = ModelOptions & { formula?: string; weightColumn?: string };

export const ROUTE_CASES: Array<[string, string, CaseOptions]> = [
  ['breast-cancer', 'diagnosis', { standardize: true }],
  ['iris', 'species', { standardize: true }],
  ['spector', 'GRADE', { penalty: 'none', standardize: true }],
  ['birthwt', 'low', { formula: 'low ~ age + lwt + race*smoke', standardize: true }],
  ['infert_weighted.csv', 'case', { weightColumn: 'w', formula: 'case ~ education + age + parity + induced + spontaneous', standardize: true }],
  ['iris', 'species', { penalty: 'l1', C: 0.5, standardize: true }],
];

/** A case's table, its design spec and model options, and its in-memory fit. */
export function inMemory(name: string, target: string, options: CaseOptions) {
  const table: Table = name.endsWith('.csv') ? readCsv(csvOf(name)) : loadBundled(name).table;
  const { formula, weightColumn, ...model } = options;
  const fitted = fit(table, { target, ...(formula ? { formula } : {}), ...(weightColumn ? { weightColumn } : {}), ...model });
  return { table, spec: { target, formula: formula ?? null, weightColumn: weightColumn ?? null }, model, fitted };
}

/** |a − b| / |b|. */
export const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** The JSON object a command printed. */
export function json(out: string): Record<string, unknown> {
  return JSON.parse(out.slice(out.indexOf('{'))) as Record<string, unknown>;
}
