import { warmKernels } from '../backend/arena.js';
import { describe } from '../backend/dense.js';
import { defaultThreads, poolStats, startWorkers } from '../backend/pool.js';
import { preloadLazy } from '../util/lazy.js';
import { platform } from '../platform/current.js';
import { loadKernelModule } from '../platform/kernels.js';

/** Options of ready(). */
export interface ReadyOptions {
  /**
   * Threads to have running for the fits that follow, this one included: 'auto' (default) is one
   * per core up to 8 where threads can share memory (Node.js; a cross-origin-isolated page), else 1.
   */
  threads?: number | 'auto';
}

/** What this thread can do, as ready() leaves it. */
export interface RuntimeInfo {
  /** 'node', or 'browser' for pages, Web Workers and other runtimes with fetch and Web Workers. */
  platform: 'node' | 'browser';
  /**
   * Whether worker threads can share the kernels' memory: always in Node.js; in a browser only
   * when the page is cross-origin isolated (served with COOP: same-origin and COEP: require-corp).
   */
  sharedMemory: boolean;
  /** Threads a fit can use now: this one and the worker threads that have started. */
  threads: number;
  /** Chunks of passes over the data that worker threads have run so far (shows that they took part). */
  workerChunks: number;
}

/**
 * Gets this thread ready for the synchronous API: loads and compiles the kernels (a browser fetches
 * kernels.wasm from beside the library, or from setKernelSource's URL), loads what CSV reading
 * needs, starts the worker threads (a browser starts workers only between tasks, never during a
 * synchronous fit) and compiles the kernels on this thread. Required once in a browser before the
 * first fit, predict or readCsvSource (fitAsync calls it for you); optional in Node.js, where the
 * first fit does the same on its own. Resolves to what the thread can do; safe to call again
 * (with more threads, say).
 */
export async function ready(options: ReadyOptions = {}): Promise<RuntimeInfo> {
  const threads = options.threads ?? 'auto';
  if (threads !== 'auto' && (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1)) {
    throw new RangeError(`threads must be a positive integer or 'auto', got ${describe(threads)}`);
  }
  await loadKernelModule();
  await preloadLazy();
  await startWorkers(threads === 'auto' ? defaultThreads() : threads);
  warmKernels();
  return runtimeInfo();
}

/** What this thread can do now (see RuntimeInfo); ready() resolves to the same. */
export function runtimeInfo(): RuntimeInfo {
  const { workers, workerChunks } = poolStats();
  return { platform: platform().name, sharedMemory: platform().canShareMemory(), threads: 1 + workers, workerChunks };
}
