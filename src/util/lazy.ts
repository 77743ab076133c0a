import { hasNodeBuiltins, nodeBuiltin } from '../platform/nodeBuiltins.js';

/**
 * Dependencies that only some paths need, loaded on first use rather than when the library is
 * imported: csv-parse for CSV header lines and messages, cli-progress for long fits on a terminal
 * (loading every dependency up front took about 45 ms of each `logreg` command's start-up), and
 * the optional packages (vega and vega-lite for pictures, yargs for the command) that a project
 * which only fits and predicts does not install. A missing optional package is a one-line
 * MissingPackageError naming what to install.
 *
 * In Node.js, `lazy` loads synchronously through the package's CommonJS entry (createRequire).
 * A browser has no synchronous loader: there, `preloadLazy()` (awaited by ready()) imports the
 * packages the core needs beforehand, by literal specifiers that bundlers follow (the browser
 * build of csv-parse, which carries its own Buffer).
 */

/** A package that is not installed; its message is one line saying what to install. */
export class MissingPackageError extends Error {
  override readonly name = 'MissingPackageError';
  readonly packageName: string;

  constructor(packageName: string, purpose: string) {
    super(`${purpose} needs the package ${packageName}, which is not installed: npm install ${packageName}`);
    this.packageName = packageName;
  }
}

/** The package of a module id: 'csv-parse/sync' → 'csv-parse', '@scope/a/b' → '@scope/a'. */
export function packageOf(id: string): string {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Whether `e` says that the package of `id` itself (not something it loads) cannot be found. */
export function isMissing(e: unknown, id: string): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (err === null || typeof err !== 'object') return false;
  if (err.code !== 'MODULE_NOT_FOUND' && err.code !== 'ERR_MODULE_NOT_FOUND') return false;
  const pkg = packageOf(id);
  return typeof err.message === 'string' && (err.message.includes(`'${pkg}'`) || err.message.includes(`'${id}'`));
}

/** What the browser loads ahead of synchronous use (preloadLazy), by module id. */
const BROWSER_LOADERS: Record<string, () => Promise<unknown>> = {
  'csv-parse/sync': () => import('csv-parse/browser/esm/sync'),
};

const preloaded = new Map<string, unknown>();

/**
 * Imports, outside Node.js, the packages that synchronous paths of the core load with `lazy`
 * (csv-parse); in Node.js nothing (they load on first use). ready() awaits it.
 */
export async function preloadLazy(): Promise<void> {
  if (hasNodeBuiltins()) return;
  for (const [id, load] of Object.entries(BROWSER_LOADERS)) if (!preloaded.has(id)) preloaded.set(id, await load());
}

/**
 * A getter for the package `id`, loaded on its first call. `purpose` names what needs it in the
 * MissingPackageError thrown when it is not installed (default: "logreg").
 */
export function lazy<T>(id: string, purpose = 'logreg'): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded !== undefined) return loaded;
    if (preloaded.has(id)) return (loaded = preloaded.get(id) as T);
    if (!hasNodeBuiltins()) {
      throw new Error(
        id in BROWSER_LOADERS
          ? `${id} is not loaded yet: in a browser, await ready() once before reading CSV data`
          : `${purpose} needs ${packageOf(id)}, which is only available in Node.js`,
      );
    }
    const require = nodeBuiltin('node:module', 'loading packages').createRequire(import.meta.url);
    try {
      return (loaded = require(id) as T);
    } catch (e) {
      if (isMissing(e, id)) throw new MissingPackageError(packageOf(id), purpose);
      throw e;
    }
  };
}

/**
 * Imports an optional package (`load` is `() => import('vega')`, written out so that bundlers see
 * the specifier), turning "not installed" into a MissingPackageError naming it.
 */
export async function importOptional<T>(id: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isMissing(e, id)) throw new MissingPackageError(packageOf(id), purpose);
    throw e;
  }
}
