/**
 * Node.js's built-in modules, reached at run time through `process.getBuiltinModule` (Node ≥ 20.16)
 * instead of `import ... from 'node:fs'`, so that no module of the core imports a Node module: a
 * bundler building for a browser finds nothing to resolve, and the same code runs unchanged in
 * Node.js and in browsers. Only the paths that need Node (files, the worker_threads pool, forced
 * garbage collection) call these, and in other runtimes they get an error saying what to use.
 */

/** The built-in modules the library uses, by their `node:` names. */
export interface NodeBuiltins {
  'node:fs': typeof import('node:fs');
  'node:path': typeof import('node:path');
  'node:url': typeof import('node:url');
  'node:os': typeof import('node:os');
  'node:module': typeof import('node:module');
  'node:worker_threads': typeof import('node:worker_threads');
  'node:v8': typeof import('node:v8');
  'node:vm': typeof import('node:vm');
}

/** Whether this runtime is Node.js (or one that provides Node's built-in modules the same way). */
export function hasNodeBuiltins(): boolean {
  return typeof process === 'object' && process !== null && typeof process.getBuiltinModule === 'function';
}

/**
 * The built-in module `id`. Outside Node.js, an Error saying that `what` needs Node.js and, when
 * given, what to do instead (`instead`), e.g. "readCsv(path) reads files, which needs Node.js; in a
 * browser use readCsvSource(bytesSource(name, bytes))".
 */
export function nodeBuiltin<K extends keyof NodeBuiltins>(id: K, what: string, instead?: string): NodeBuiltins[K] {
  const m = hasNodeBuiltins() ? (process.getBuiltinModule(id) as NodeBuiltins[K] | undefined) : undefined;
  if (m === undefined) throw new Error(`${what} needs Node.js (${id})${instead === undefined ? '' : `; ${instead}`}`);
  return m;
}
