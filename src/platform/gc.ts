import { platform } from './current.js';

/**
 * A full garbage collection, on demand, where the runtime allows it (Node.js; a browser has no
 * such thing, and this does nothing there). Kernel memory is WebAssembly.Memory, whose backing
 * store V8 does not count toward the heap's growth: a loop that makes a new arena per call (a
 * thousand predictions on fresh data) would never trigger a collection by itself, and the memory
 * of arenas no longer referenced would pile up. The backend calls this after every so many bytes
 * of new arenas (arena.ts).
 */
export function collectGarbage(): void {
  platform().collectGarbage();
}
