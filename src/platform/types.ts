/**
 * The platform layer: what the backend needs from the runtime it runs in, with one implementation
 * for Node.js (node.ts: files, worker_threads, forced garbage collection) and one for browsers and
 * Web Workers (browser.ts: fetch, Web Workers over SharedArrayBuffer, no forced collection).
 * current.ts picks one at run time; nothing here imports a Node module. Everything but KernelSource
 * is tagged internal: left out of the published declarations (tsconfig.build.json's stripInternal),
 * which must not need the WebAssembly types that only TypeScript's DOM library declares.
 */

/** Where the compiled kernels (kernels.wasm) come from; see setKernelSource in kernels.ts. */
export type KernelSource = string | URL | ArrayBuffer | ArrayBufferView;

/** What a kernel worker receives when it starts (pool.ts). @internal */
export interface KernelWorkerInit {
  /** The compiled kernels. */
  module: WebAssembly.Module;
  /** The module's function exports, by index (jobs name a function by its index here). */
  names: readonly string[];
  /** The pool's control words, job fields and chunk results (shared memory). */
  ctl: Int32Array;
  job: Float64Array;
  results: Float64Array;
  /** The worker's position in the pool (0-based). */
  index: number;
}

/** What the pool sends a worker between jobs: an arena's memory, or the order to drop it. @internal */
export type ArenaMessage = { id: number; memory: WebAssembly.Memory } | { release: true };

/** A started kernel worker, as the pool sees it. @internal */
export interface KernelWorker {
  /** Sends a message to the worker (delivered even while this thread is busy). */
  send(message: ArenaMessage): void;
  /** The failures the worker reported since the last call, read without waiting (one line each). */
  failures(): string[];
  /**
   * Settles once the worker runs (resolves) or could not start (rejects). A browser starts a
   * worker only when the thread that made it returns to its event loop, so a page or worker
   * awaits this (ready()) before work that should use the thread.
   */
  readonly started: Promise<void>;
}

/**
 * A worker thread running one of the library's ES modules, with a message channel that this thread
 * reads without returning to its event loop (so a synchronous function can wait for its replies
 * in Atomics.wait). @internal
 */
export interface ModuleWorker {
  /** Posts a message (structured clone: throws on what cannot be cloned, such as a function). */
  post(message: unknown): void;
  /** The oldest message the worker posted and this thread has not taken, or undefined. */
  take(): unknown;
  /** Stops the worker (it lets go of its memory). */
  terminate(): void;
}

/** The runtime services of one platform. @internal */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** Whether this thread may sleep in Atomics.wait (every thread but a browser page's main thread). */
  canBlock(): boolean;
  /** Whether worker threads can share WebAssembly memory with this one (a browser: only when crossOriginIsolated). */
  canShareMemory(): boolean;
  /** Logical cores of the machine. */
  cores(): number;
  /** Bytes of memory the system can still give (Node.js: os.freemem()), or null when unknown. */
  freeMemory(): number | null;
  /**
   * The kernel module's bytes when they can be had without waiting (Node: read from the file), or
   * null when they must be fetched (browser: ready() loads them first).
   */
  kernelBytesSync(source: KernelSource | null): Uint8Array | null;
  /** The kernel module's bytes, fetched or read. */
  kernelBytes(source: KernelSource | null): Promise<Uint8Array>;
  /**
   * Starts a kernel worker running `source` (a classic script, pool.ts writes one per platform),
   * or returns null when this runtime cannot run one that shares memory.
   */
  startKernelWorker(source: string, init: KernelWorkerInit): KernelWorker | null;
  /**
   * Starts a worker thread running the ES module at `url`, which finds `data` (and `port`, its end
   * of the channel) in worker_threads' workerData; null when this runtime cannot (a browser, or the
   * module is not there: the library run from its TypeScript sources).
   */
  startModuleWorker(url: URL, data: Record<string, unknown>): ModuleWorker | null;
  /** A full garbage collection when the runtime allows forcing one (Node), else nothing. */
  collectGarbage(): void;
  /** Runs fn once the current synchronous work is over (the event loop turned), without keeping a process alive. */
  soon(fn: () => void): void;
}
