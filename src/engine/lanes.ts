import { kernelModule } from '../backend/arena.js';
import { JobWorker } from './jobWorker.js';

/**
 * Extra threads for streamed passes: each worker instantiates the kernel module over the arena's
 * shared memory and runs, on request, a short list of kernel calls on one batch of rows while the
 * calling thread runs its own batch. A streamed pass keeps each batch one kernel call (so that the
 * batches can be the in-memory pass's chunks, and the sums bit-identical to it); its parallelism
 * is therefore across batches, which src/backend/pool.ts (whose chunks are cut from one row range)
 * does not offer.
 *
 * A request is written into the worker's shared job area (jobWorker.ts) as [calls, then per call:
 * kernel index, argument count, the arguments, a slot for the result].
 */

/** The kernels a lane may run (by index in the job area). */
export const LANE_KERNELS = ['gradientRows', 'valueRows', 'hessianRows', 'curvatureDiagonalRows', 'gramRows', 'accuracyRows'] as const;
export type LaneKernel = (typeof LANE_KERNELS)[number];

/** One kernel call: fn(...args). */
export interface KernelCall {
  fn: LaneKernel;
  args: readonly number[];
}

/** Float64s of a job area: room for a few calls of up to 16 arguments. */
const JOB_LENGTH = 128;

const SOURCE = {
  setup: `
const abort = () => { throw new Error('a WebAssembly kernel aborted'); };
const inst = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory, abort } });
const fns = workerData.names.map((n) => inst.exports[n]);`,
  body: `
    let at = 1;
    for (let k = 0; k < j[0]; k++) {
      const f = fns[j[at]];
      const nargs = j[at + 1];
      const args = Array.from(j.subarray(at + 2, at + 2 + nargs));
      j[at + 2 + nargs] = f(...args);
      at += 3 + nargs;
    }`,
  spin: 20000,
};

/** A compute thread over one arena's memory. */
export class Lane {
  private readonly worker: JobWorker;
  private resultAt = 0;

  constructor(memory: WebAssembly.Memory) {
    this.worker = new JobWorker(SOURCE, JOB_LENGTH, { module: kernelModule(), memory, names: [...LANE_KERNELS] });
  }

  /** Starts the calls, in order; `wait` returns the last one's result. */
  run(calls: readonly KernelCall[]): void {
    if (this.worker.pending) throw new Error('a lane request is already in flight');
    const job = this.worker.job;
    let at = 1;
    for (const call of calls) {
      if (at + 3 + call.args.length > JOB_LENGTH) throw new Error('too many kernel arguments for a lane request');
      job[at] = LANE_KERNELS.indexOf(call.fn);
      job[at + 1] = call.args.length;
      job.set(call.args, at + 2);
      this.resultAt = at + 2 + call.args.length;
      at += 3 + call.args.length;
    }
    job[0] = calls.length;
    this.worker.post();
  }

  /** Blocks until the request is done; returns the last call's result. */
  wait(): number {
    if (!this.worker.pending) throw new Error('no lane request in flight');
    if (!this.worker.wait()) throw new Error('a WebAssembly kernel failed on a streamed batch');
    return this.worker.job[this.resultAt]!;
  }

  close(): void {
    this.worker.close();
  }
}
