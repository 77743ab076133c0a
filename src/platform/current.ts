import { browserPlatform } from './browser.js';
import { hasNodeBuiltins } from './nodeBuiltins.js';
import { nodePlatform } from './node.js';
import type { Platform } from './types.js';

/**
 * The platform this code runs on, decided at run time (no bundler configuration involved): Node.js
 * when `process.getBuiltinModule` exists (Node ≥ 20.16, and runtimes that copy it), otherwise the
 * browser platform (pages, Web Workers). Both implementations are plain modules without Node
 * imports, so either bundles anywhere; only the chosen one is ever called.
 */
let current: Platform | null = null;

/** @internal */
export function platform(): Platform {
  return (current ??= hasNodeBuiltins() ? nodePlatform : browserPlatform);
}
