import { Worker } from 'node:worker_threads';
import { EngineError } from '../data/engineError.js';

/**
 * A read-ahead thread for streamed passes: while the kernels work through one batch of rows, this
 * worker reads the next one from the spill files (spill.ts) straight into kernel memory (the
 * arena's shared WebAssembly memory), so that a pass costs about max(read, compute) rather than
 * their sum.
 *
 * The passes are synchronous (the optimizers of src/optim call the objective and wait), so the
 * hand-over is too: a request is a list of (file, offset, bytes, destination) reads written into a
 * shared job area, announced by bumping a sequence number (Atomics.notify); `wait` blocks in
 * Atomics.wait until the worker has stored the same number as done. One request is in flight at a
 * time. No message passing, no copies: the worker's reads land where the kernels read.
 */

// Control words (Int32, shared): the request's sequence number, the last one done, an error flag,
// and the stop flag.
const REQ = 0;
const DONE = 1;
const ERROR = 2;
const STOP = 3;
/** Most reads per request (a batch is one read per spill part). */
const MAX_READS = 64;

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { memory, ctl, job, paths } = workerData;
const c = new Int32Array(ctl);
const j = new Float64Array(job);
let fds = null;
try {
  fds = paths.map((p) => fs.openSync(p, 'r'));
} catch (e) {
  fds = null; // every request is then answered with the error flag
}
let seen = 0;
for (;;) {
  Atomics.wait(c, ${REQ}, seen);
  if (Atomics.load(c, ${STOP}) === 1) break;
  const seq = Atomics.load(c, ${REQ});
  if (seq === seen) continue;
  seen = seq;
  try {
    if (fds === null) throw new Error('the spill files could not be opened');
    const count = j[0];
    const buf = memory.buffer;
    for (let e = 0; e < count; e++) {
      const f = j[1 + 4 * e], off = j[2 + 4 * e], bytes = j[3 + 4 * e], dest = j[4 + 4 * e];
      const view = new Uint8Array(buf, dest, bytes);
      let done = 0;
      while (done < bytes) {
        const got = fs.readSync(fds[f], view, done, bytes - done, off + done);
        if (got === 0) throw new Error('short read');
        done += got;
      }
    }
  } catch (e) {
    Atomics.store(c, ${ERROR}, 1);
  }
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}
if (fds !== null) for (const fd of fds) fs.closeSync(fd);
`;

/** One read of a request: bytes [offset, offset + bytes) of file `file` to byte `dest` of the memory. */
export interface ReadOrder {
  file: number;
  offset: number;
  bytes: number;
  dest: number;
}

/** The read-ahead worker over a set of files and one shared memory. */
export class Prefetcher {
  private readonly worker: Worker;
  private readonly ctl: Int32Array;
  private readonly job: Float64Array;
  private seq = 0;
  private pending = false;

  constructor(memory: WebAssembly.Memory, paths: readonly string[]) {
    const ctl = new SharedArrayBuffer(16);
    const job = new SharedArrayBuffer(8 * (1 + 4 * MAX_READS));
    this.ctl = new Int32Array(ctl);
    this.job = new Float64Array(job);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, ctl, job, paths: [...paths] } });
    this.worker.unref();
  }

  /** Starts reading `orders` (the previous request must have been waited for). */
  request(orders: readonly ReadOrder[]): void {
    if (this.pending) throw new Error('a read-ahead request is already in flight');
    if (orders.length > MAX_READS) throw new Error(`at most ${MAX_READS} reads per request`);
    this.job[0] = orders.length;
    orders.forEach((o, e) => {
      this.job[1 + 4 * e] = o.file;
      this.job[2 + 4 * e] = o.offset;
      this.job[3 + 4 * e] = o.bytes;
      this.job[4 + 4 * e] = o.dest;
    });
    this.seq = (this.seq + 1) | 0;
    this.pending = true;
    Atomics.store(this.ctl, REQ, this.seq);
    Atomics.notify(this.ctl, REQ);
  }

  /** Blocks until the request in flight is done; a failed read is an error here. */
  wait(): void {
    if (!this.pending) return;
    while (Atomics.load(this.ctl, DONE) !== this.seq) Atomics.wait(this.ctl, DONE, Atomics.load(this.ctl, DONE), 1000);
    this.pending = false;
    if (Atomics.load(this.ctl, ERROR) === 1) throw new EngineError('reading the streamed rows back from their temporary files failed');
  }

  /** Ends the worker. */
  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.store(this.ctl, REQ, (this.seq + 1) | 0);
    Atomics.notify(this.ctl, REQ);
    void this.worker.terminate();
  }
}
