import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, on demand (Node.js). Kernel memory is WebAssembly.Memory, whose
 * backing store V8 does not count toward the heap's growth: a loop that makes a new arena per call
 * (a thousand predictions on fresh data) would never trigger a collection by itself, and the
 * memory of arenas no longer referenced would pile up. The backend calls this after every so many
 * bytes of new arenas (arena.ts). `--expose-gc` set at run time exposes `gc` to contexts made
 * afterwards, of which this module makes one.
 */
let gc: (() => void) | null = null;

export function collectGarbage(): void {
  if (gc === null) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
