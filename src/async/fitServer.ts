import { type FitFunctionOptions, fit } from '../model/fit.js';
import type { DataLike } from '../model/inputs.js';
import type { Label } from '../util/labels.js';
import { scope } from '../platform/browserGlobals.js';
import { type FitReply, type FitRequest, matrixOf, tableOf } from './fitMessages.js';
import { adoptKernelModule } from '../platform/kernels.js';
import { ready } from './ready.js';

/**
 * The fit worker's side of fitAsync: takes fit requests one at a time, in the order they came,
 * and posts back progress, the fitted model's JSON form, or the error.
 */
export function serveFits(): void {
  if (scope.postMessage === undefined || scope.addEventListener === undefined) throw new Error('serveFits runs in a Web Worker');
  const post = (reply: FitReply) => scope.postMessage!(reply);
  let queue = Promise.resolve();
  scope.addEventListener('message', (e) => {
    const request = e.data as FitRequest;
    queue = queue.then(() => serve(request, post));
  });
}

/** Threads for ready(): the fit's own when it names a count, else one per core. */
function threadsOf(options: FitFunctionOptions | undefined): number | 'auto' {
  const t = options?.threads;
  return typeof t === 'number' && Number.isInteger(t) && t >= 1 ? t : 'auto';
}

async function serve(request: FitRequest, post: (reply: FitReply) => void): Promise<void> {
  const { id } = request;
  try {
    adoptKernelModule(request.module);
    await ready({ threads: threadsOf(request.options) });
    const X = (request.kind === 'table' ? tableOf(request.X) : request.kind === 'kernel' ? matrixOf(request.X) : request.X) as DataLike;
    const options: FitFunctionOptions = { ...request.options };
    if (request.progress) options.onIteration = (info) => post({ id, iteration: { iteration: info.iteration, value: info.value, gradNorm: info.gradNorm } });
    const model = fit(X, request.y as ArrayLike<Label> | null, options);
    post({ id, model: model.toJSON() });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ id, error: { name: err.name, message: err.message } });
  }
}
