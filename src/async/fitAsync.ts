import { type Classifier, type FitFunctionOptions, fit, loadModel } from '../model/fit.js';
import { type DataLike, isMatrixInput } from '../model/inputs.js';
import type { IterationInfo } from '../optim/types.js';
import type { Label } from '../util/labels.js';
import type { WebWorker } from '../platform/browserGlobals.js';
import { platform } from '../platform/current.js';
import { type FitReply, type FitRequest, errorFrom, postableLabels, postableOptions, postableX } from './fitMessages.js';
import { loadKernelModule } from '../platform/kernels.js';
import { ready } from './ready.js';

/**
 * fit, off the calling thread where that matters: on a browser page the fit runs in a Web Worker
 * (fitWorker.js, started once and kept for later fits), so the page stays responsive; the worker
 * receives the page's compiled kernels, starts its own worker threads (ready()) and posts back the
 * fitted model, which is restored here with loadModel: the same coefficients, bit for bit, as `fit`
 * on the same thread. Inside a Web Worker it is `fit` after `await ready()`; in Node.js, `fit`.
 */

let workerUrl: string | URL | null = null;
let fitWorker: { worker: WebWorker; pending: Map<number, Pending> } | null = null;
let nextId = 1;

interface Pending {
  resolve(model: Classifier): void;
  reject(e: Error): void;
  onIteration: ((info: IterationInfo) => void) | null;
}

/**
 * Where fitAsync loads its worker script from in a browser. The default, `fitWorker.js` beside the
 * library's module, works with the dist/browser/ build and with bundlers that follow
 * `new Worker(new URL(…, import.meta.url))` (Vite, webpack 5, Parcel); with esbuild, bundle
 * `logreg/dist/async/fitWorker.js` as a second entry point (or use dist/browser/fitWorker.js)
 * and pass its URL here.
 */
export function setFitWorkerUrl(url: string | URL): void {
  workerUrl = url;
}

/** (X, y, options) as fit reads them: the labels (null when a table names its target) and the options. */
function fitArguments(X: DataLike, y: ArrayLike<Label> | FitFunctionOptions | null | undefined, options: FitFunctionOptions | undefined) {
  if (!isMatrixInput(X) && y !== null && y !== undefined && typeof y === 'object' && !('length' in y) && options === undefined) {
    return { labels: null, options: y as FitFunctionOptions };
  }
  return { labels: (y ?? null) as ArrayLike<Label> | null, options };
}

function startFitWorker(): { worker: WebWorker; pending: Map<number, Pending> } {
  if (typeof Worker === 'undefined') throw new Error('fitAsync needs Web Workers, which this runtime does not have; use fit');
  const url = workerUrl;
  const worker = url === null
    ? new Worker(new URL('./fitWorker.js', import.meta.url), { type: 'module', name: 'logreg-fit' })
    : new Worker(url, { type: 'module', name: 'logreg-fit' });
  const state = { worker, pending: new Map<number, Pending>() };
  worker.addEventListener('message', (e) => {
    const reply = e.data as FitReply;
    const p = state.pending.get(reply.id);
    if (p === undefined) return;
    if ('iteration' in reply) {
      p.onIteration?.(reply.iteration);
      return;
    }
    state.pending.delete(reply.id);
    if ('model' in reply) p.resolve(loadModel(reply.model));
    else p.reject(errorFrom(reply.error));
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault?.();
    const where = url === null ? 'fitWorker.js beside the library' : String(url);
    const err = new Error(
      `the fit worker (${where}) failed${e.message ? `: ${e.message}` : ' to load'}; serve it with the library or call setFitWorkerUrl(url)`,
    );
    for (const p of state.pending.values()) p.reject(err);
    state.pending.clear();
    worker.terminate();
    if (fitWorker === state) fitWorker = null;
  });
  return state;
}

/**
 * Fits a classifier like `fit` (same arguments: a matrix and labels, or a table and options) and
 * resolves to it. In a browser page the work happens in a Web Worker, which uses worker threads of
 * its own when the page is cross-origin isolated (`threads` as for fit); `onIteration` is called on
 * this thread as the iterations arrive. The model comes back through its JSON form: everything but
 * the training data, so `summary()` needs `summary(X, y)` (as for a model restored by loadModel).
 * Errors are those of fit (same name and message). In a Web Worker this is fit after `await ready()`;
 * in Node.js it is fit (which blocks the event loop while it runs).
 */
export async function fitAsync(X: DataLike, y?: ArrayLike<Label> | FitFunctionOptions | null, options?: FitFunctionOptions): Promise<Classifier> {
  if (platform().name === 'node') {
    await Promise.resolve();
    return fit(X, y, options);
  }
  if (platform().canBlock()) {
    const threads = fitArguments(X, y, options).options?.threads;
    await ready({ threads: typeof threads === 'number' && Number.isInteger(threads) && threads >= 1 ? threads : 'auto' });
    return fit(X, y, options);
  }
  const args = fitArguments(X, y, options);
  const module = await loadKernelModule();
  const { X: data, kind } = postableX(X);
  const { options: opts, progress } = postableOptions(args.options);
  const request: FitRequest = { id: nextId++, module, X: data, kind, y: postableLabels(args.labels), options: opts, progress };
  fitWorker ??= startFitWorker();
  const { worker, pending } = fitWorker;
  return new Promise<Classifier>((resolve, reject) => {
    pending.set(request.id, { resolve, reject, onIteration: progress ? args.options!.onIteration! : null });
    worker.postMessage(request);
  });
}
