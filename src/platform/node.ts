import { defaultKernelUrl } from './kernelUrl.js';
import { type NodeBuiltins, nodeBuiltin } from './nodeBuiltins.js';
import type { KernelSource, KernelWorker, KernelWorkerInit, ModuleWorker, Platform } from './types.js';

/**
 * The Node.js platform: kernels read from dist/kernels.wasm (or the file or bytes given to
 * setKernelSource), kernel workers on worker_threads with an extra MessagePort each (messages to a
 * worker are taken with receiveMessageOnPort, without returning to an event loop), and forced
 * garbage collection through `--expose-gc` set at run time.
 */

/** A file path, a file: URL or bytes, as bytes; the default is the package's dist/kernels.wasm. */
function readKernels(source: KernelSource | null): Uint8Array {
  if (source !== null && typeof source === 'object' && !(source instanceof URL)) {
    return source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  }
  const { fileURLToPath } = nodeBuiltin('node:url', 'reading the kernels');
  const url = source ?? defaultKernelUrl();
  const path = url instanceof URL || url.startsWith('file:') ? fileURLToPath(url) : url;
  try {
    return nodeBuiltin('node:fs', 'reading the kernels').readFileSync(path);
  } catch {
    throw new Error(source === null ? `the compiled kernels ${path} are missing; run npm run build` : `the kernels ${path} cannot be read`);
  }
}

/**
 * A worker thread running `code` (a script's text) or the module at a URL, with workerData `data`
 * and `port`, the far end of a channel whose near end is returned; null when it cannot start.
 * Neither keeps the process alive, and the worker's failures are not thrown here.
 */
function startWorker(code: string | URL, data: object): { worker: NodeWorker; port: NodePort } | null {
  const { MessageChannel, Worker } = nodeBuiltin('node:worker_threads', 'a worker thread');
  const { port1, port2 } = new MessageChannel();
  let worker: NodeWorker;
  try {
    worker = new Worker(code, { eval: typeof code === 'string', workerData: { ...data, port: port2 }, transferList: [port2] });
  } catch {
    port1.close();
    return null;
  }
  worker.on('error', () => {});
  worker.unref();
  port1.unref();
  return { worker, port: port1 };
}

type NodeWorker = InstanceType<NodeBuiltins['node:worker_threads']['Worker']>;
type NodePort = InstanceType<NodeBuiltins['node:worker_threads']['MessagePort']>;

let gc: (() => void) | null = null;

/** @internal */
export const nodePlatform: Platform = {
  name: 'node',
  canBlock: () => true,
  canShareMemory: () => true,
  cores: () => nodeBuiltin('node:os', 'counting cores').availableParallelism(),
  freeMemory: () => nodeBuiltin('node:os', 'measuring free memory').freemem(),
  kernelBytesSync: readKernels,
  kernelBytes: async (source) => readKernels(source),

  startKernelWorker(source: string, init: KernelWorkerInit): KernelWorker | null {
    const { receiveMessageOnPort } = nodeBuiltin('node:worker_threads', 'a worker thread');
    // A worker that fails to start or dies between jobs claims no chunk: the others, and the
    // thread that posts jobs, do its share. Workers never keep the process alive, except while
    // someone awaits `started` (ready()): an awaited promise must not end the process early.
    const spawned = startWorker(source, init);
    if (spawned === null) return null;
    const { worker, port: port1 } = spawned;
    let online = false;
    worker.once('online', () => {
      online = true;
    });
    let started: Promise<void> | null = null;
    const whenStarted = () =>
      new Promise<void>((resolve, reject) => {
        if (online) return resolve();
        worker.ref();
        worker.once('online', () => {
          worker.unref();
          resolve();
        });
        worker.once('exit', (code) => {
          worker.unref();
          reject(new Error(`a kernel worker thread exited with code ${code} as it started`));
        });
      });
    return {
      send: (message) => port1.postMessage(message),
      failures() {
        const out: string[] = [];
        for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) out.push(String(m.message));
        return out;
      },
      get started() {
        return (started ??= whenStarted());
      },
    };
  },

  startModuleWorker(url: URL, data: Record<string, unknown>): ModuleWorker | null {
    const { receiveMessageOnPort } = nodeBuiltin('node:worker_threads', 'a worker thread');
    const { existsSync } = nodeBuiltin('node:fs', 'a worker thread');
    const { fileURLToPath } = nodeBuiltin('node:url', 'a worker thread');
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null;
    // A worker that fails reports through no event: the caller learns what it needs from the
    // worker's messages (see select/foldPool.ts).
    const started = startWorker(url, data);
    if (started === null) return null;
    const { worker, port } = started;
    return {
      post: (message) => port.postMessage(message),
      take: () => receiveMessageOnPort(port)?.message,
      terminate() {
        port.close();
        void worker.terminate();
      },
    };
  },

  /**
   * A full garbage collection. `--expose-gc` set at run time exposes `gc` to contexts made
   * afterwards, of which this makes one.
   */
  collectGarbage(): void {
    if (gc === null) {
      nodeBuiltin('node:v8', 'forcing a garbage collection').setFlagsFromString('--expose-gc');
      gc = nodeBuiltin('node:vm', 'forcing a garbage collection').runInNewContext('gc') as () => void;
    }
    gc();
  },

  soon(fn: () => void): void {
    setImmediate(fn).unref();
  },
};
