/**
 * A fold worker (foldPool.ts): a worker_threads entry that fits cross-validation folds. It gets
 * the compiled kernels, the setup and the shared control words once; then, for every path posted,
 * claims folds until none is left, posting each fold's scores (or the message of its failure,
 * which the posting thread turns into a fit of its own) and waking the posting thread.
 */
import { isDense } from '../backend/dense.js';
import { nodeBuiltin } from '../platform/nodeBuiltins.js';
import { adoptKernelModule } from '../platform/kernels.js';
import { type FoldSetup, type TableFrames, fitFold, tableFrames } from './foldFit.js';
import type { FoldJob, FoldReply, FoldWorkerData } from './foldPool.js';

const { workerData } = nodeBuiltin('node:worker_threads', 'a fold worker');
const { module, setup: posted, folds, ctl: buffer, port } = workerData as FoldWorkerData & { port: import('node:worker_threads').MessagePort };
adoptKernelModule(module);
const ctl = new Int32Array(buffer);
// A posted table lost its methods in the structured clone: locate (row provenance for messages) is
// given back as one that knows nothing.
const setup: FoldSetup = isDense(posted.data) ? posted : { ...posted, data: { ...posted.data, locate: () => ({}) } };
let frames: TableFrames | null | undefined;

port.on('message', ({ job, path, base }: FoldJob) => {
  if (base !== undefined) frames = tableFrames(setup, base);
  for (let f = Atomics.add(ctl, 1 + job, 1); f < folds; f = Atomics.add(ctl, 1 + job, 1)) {
    let reply: FoldReply;
    try {
      if (frames === undefined) throw new Error('a fold worker got no base design');
      reply = { job, fold: f, result: fitFold(setup, frames, path, f) };
    } catch (e) {
      reply = { job, fold: f, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  }
});
