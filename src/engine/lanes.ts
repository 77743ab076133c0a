import { Worker } from 'node:worker_threads';
import { kernelModule } from '../backend/arena.js';

/**
 * Extra threads for streamed passes: each worker instantiates the kernel module over the arena's
 * shared memory and runs, on request, a short list of kernel calls on one batch of rows while the
 * calling thread runs its own batch. A streamed pass keeps each batch one kernel call (so that the
 * batches can be the in-memory pass's chunks, and the sums bit-identical to it); its parallelism
 * is therefore across batches, which src/backend/pool.ts (whose chunks are cut from one row range)
 * does not offer.
 *
 * A request is written into the worker's shared job area as [calls, then per call: kernel index,
 * argument count, the arguments, a slot for the result], announced by a sequence number
 * (Atomics.notify); `wait` blocks until the worker has stored the same number as done.
 */

/** The kernels a lane may run (by index in the job area). */
export const LANE_KERNELS = ['gradientRows', 'valueRows', 'hessianRows', 'curvatureDiagonalRows', 'gramRows', 'accuracyRows'] as const;
export type LaneKernel = (typeof LANE_KERNELS)[number];

/** One kernel call: fn(...args). */
export interface KernelCall {
  fn: LaneKernel;
  args: readonly number[];
}

const REQ = 0;
const DONE = 1;
const STOP = 2;
const ERROR = 3;
/** Float64s of a job area: room for a few calls of up to 16 arguments. */
const JOB_LENGTH = 128;

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, job, names } = workerData;
const abort = () => { throw new Error('a WebAssembly kernel aborted'); };
const inst = new WebAssembly.Instance(module, { env: { memory, abort } });
const fns = names.map((n) => inst.exports[n]);
const c = new Int32Array(ctl);
const j = new Float64Array(job);
let seen = 0;
for (;;) {
  for (let spin = 0; spin < 20000 && Atomics.load(c, ${REQ}) === seen; spin++);
  Atomics.wait(c, ${REQ}, seen);
  if (Atomics.load(c, ${STOP}) === 1) break;
  const seq = Atomics.load(c, ${REQ});
  if (seq === seen) continue;
  seen = seq;
  try {
    let at = 1;
    for (let k = 0; k < j[0]; k++) {
      const f = fns[j[at]];
      const nargs = j[at + 1];
      const args = Array.from(j.subarray(at + 2, at + 2 + nargs));
      j[at + 2 + nargs] = f(...args);
      at += 3 + nargs;
    }
  } catch (e) {
    Atomics.store(c, ${ERROR}, 1);
  }
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}
`;

/** A compute thread over one arena's memory. */
export class Lane {
  private readonly worker: Worker;
  private readonly ctl: Int32Array;
  private readonly job: Float64Array;
  private seq = 0;
  private pending = false;
  private resultAt = 0;

  constructor(memory: WebAssembly.Memory) {
    const ctl = new SharedArrayBuffer(16);
    const job = new SharedArrayBuffer(8 * JOB_LENGTH);
    this.ctl = new Int32Array(ctl);
    this.job = new Float64Array(job);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: kernelModule(), memory, ctl, job, names: [...LANE_KERNELS] } });
    this.worker.unref();
  }

  /** Starts the calls, in order; `wait` returns the last one's result. */
  run(calls: readonly KernelCall[]): void {
    if (this.pending) throw new Error('a lane request is already in flight');
    let at = 1;
    for (const call of calls) {
      if (at + 3 + call.args.length > JOB_LENGTH) throw new Error('too many kernel arguments for a lane request');
      this.job[at] = LANE_KERNELS.indexOf(call.fn);
      this.job[at + 1] = call.args.length;
      this.job.set(call.args, at + 2);
      this.resultAt = at + 2 + call.args.length;
      at += 3 + call.args.length;
    }
    this.job[0] = calls.length;
    this.seq = (this.seq + 1) | 0;
    this.pending = true;
    Atomics.store(this.ctl, REQ, this.seq);
    Atomics.notify(this.ctl, REQ);
  }

  /** Blocks until the request is done; returns the last call's result. */
  wait(): number {
    if (!this.pending) throw new Error('no lane request in flight');
    while (Atomics.load(this.ctl, DONE) !== this.seq) Atomics.wait(this.ctl, DONE, Atomics.load(this.ctl, DONE), 1000);
    this.pending = false;
    if (Atomics.load(this.ctl, ERROR) === 1) throw new Error('a WebAssembly kernel failed on a streamed batch');
    return this.job[this.resultAt]!;
  }

  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.store(this.ctl, REQ, (this.seq + 1) | 0);
    Atomics.notify(this.ctl, REQ);
    void this.worker.terminate();
  }
}
