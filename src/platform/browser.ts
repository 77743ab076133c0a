import { type WebWorker, scope, scriptUrl } from './browserGlobals.js';
import { defaultKernelUrl } from './kernelUrl.js';
import type { KernelSource, KernelWorker, KernelWorkerInit, Platform } from './types.js';

/**
 * The browser platform (a page or a Web Worker; also other runtimes with fetch and Web Workers):
 * kernels fetched and compiled asynchronously (ready()), kernel workers as Web Workers started from
 * a blob: URL, which share the kernels' memory only when the page is cross-origin isolated (served
 * with the COOP and COEP headers); otherwise every pass runs on the calling thread. Nothing can
 * force a garbage collection here.
 */

/** Characters of a worker's failure message kept in its failure area. */
export const FAILURE_CHARS = 256;

/** The failure area of a worker: [length, then char codes]; the worker writes the first failure. */
function readFailure(area: Int32Array): string[] {
  const n = Atomics.load(area, 0);
  if (n === 0) return [];
  const text = String.fromCharCode(...area.subarray(1, 1 + n));
  Atomics.store(area, 0, 0);
  return [text];
}

let blocking: boolean | null = null;

/** Whether Atomics.wait works on this thread: a short wait on a private word, once. */
function probeBlocking(): boolean {
  if (blocking === null) {
    try {
      const word = new Int32Array(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer as unknown as SharedArrayBuffer, 0, 1);
      Atomics.wait(word, 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

const urls = new Map<string, string>();

async function fetchKernels(source: KernelSource | null): Promise<Uint8Array> {
  if (source !== null && typeof source === 'object' && !(source instanceof URL)) {
    return source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  }
  const url = source ?? defaultKernelUrl();
  if (scope.fetch === undefined) throw new Error(`this runtime has no fetch to load the kernels from ${String(url)}`);
  const fix = 'serve kernels.wasm beside the library (dist/browser/) or call setKernelSource(url or bytes) before ready()';
  let response: Awaited<ReturnType<NonNullable<typeof scope.fetch>>>;
  try {
    response = await scope.fetch(url);
  } catch (e) {
    throw new Error(`the kernels could not be fetched from ${String(url)} (${(e as Error).message}); ${fix}`);
  }
  if (!response.ok) throw new Error(`the kernels could not be fetched from ${String(url)} (HTTP ${response.status} ${response.statusText}); ${fix}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** @internal */
export const browserPlatform: Platform = {
  name: 'browser',
  canBlock: probeBlocking,
  canShareMemory: () => scope.crossOriginIsolated === true,
  cores: () => Math.max(1, scope.navigator?.hardwareConcurrency ?? 1),
  freeMemory: () => null,
  kernelBytesSync: (source) =>
    source !== null && typeof source === 'object' && !(source instanceof URL)
      ? source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : null,
  kernelBytes: fetchKernels,

  startKernelWorker(source: string, init: KernelWorkerInit): KernelWorker | null {
    if (scope.crossOriginIsolated !== true || scope.Worker === undefined) return null;
    let url = urls.get(source);
    if (url === undefined) {
      url = scriptUrl(source);
      urls.set(source, url);
    }
    let worker: WebWorker;
    try {
      worker = new scope.Worker(url, { name: `logreg kernels ${init.index + 1}` });
    } catch {
      return null;
    }
    const failure = new Int32Array(new SharedArrayBuffer(4 * (1 + FAILURE_CHARS)));
    const started = new Promise<void>((resolve, reject) => {
      worker.addEventListener('message', (e) => {
        if (e.data === 'ready') resolve();
      });
      // A worker that fails to start claims no chunk; the others and the posting thread do its share.
      worker.addEventListener('error', (e) => {
        e.preventDefault?.();
        reject(new Error(`a kernel worker failed to start${e.message ? ` (${e.message})` : ''}`));
      });
    });
    started.catch(() => {});
    worker.postMessage({ init: { ...init, failure } });
    return {
      send: (message) => worker.postMessage(message),
      failures: () => readFailure(failure),
      started,
    };
  },

  // A page's main thread cannot wait for a worker synchronously; the callers run their work here.
  startModuleWorker: () => null,

  collectGarbage(): void {},

  soon(fn: () => void): void {
    setTimeout(fn, 0);
  },
};
