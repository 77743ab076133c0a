/**
 * An error of a data engine the command talks to (DuckDB, PostgreSQL): a database that cannot be
 * reached or opened, a query the engine refused or that failed, a missing client package. Its
 * message is one line naming the engine or the source, for the CLI to print as it stands.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}
