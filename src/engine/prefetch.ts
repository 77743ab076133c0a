import { EngineError } from '../data/engineError.js';
import { JobWorker } from './jobWorker.js';

/**
 * A read-ahead thread for streamed passes: while the kernels work through one batch of rows, this
 * worker reads the next one from the spill files (spill.ts) straight into kernel memory (the
 * arena's shared WebAssembly memory), so that a pass costs about max(read, compute) rather than
 * their sum.
 *
 * The passes are synchronous (the optimizers of src/optim call the objective and wait), so the
 * hand-over is too (jobWorker.ts): a request is a list of (file, offset, bytes, destination) reads
 * written into the shared job area. One request is in flight at a time. No message passing, no
 * copies: the worker's reads land where the kernels read.
 */

/** Most reads per request (a batch is one read per spill part). */
const MAX_READS = 64;

const SOURCE = {
  setup: `
const fs = require('node:fs');
const memory = workerData.memory;
let fds = null;
try {
  fds = workerData.paths.map((p) => fs.openSync(p, 'r'));
} catch (e) {
  fds = null; // every request is then answered with the error flag
}`,
  body: `
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
    }`,
  teardown: 'if (fds !== null) for (const fd of fds) fs.closeSync(fd);',
};

/** One read of a request: bytes [offset, offset + bytes) of file `file` to byte `dest` of the memory. */
export interface ReadOrder {
  file: number;
  offset: number;
  bytes: number;
  dest: number;
}

/** The read-ahead worker over a set of files and one shared memory. */
export class Prefetcher {
  private readonly worker: JobWorker;

  constructor(memory: WebAssembly.Memory, paths: readonly string[]) {
    this.worker = new JobWorker(SOURCE, 1 + 4 * MAX_READS, { memory, paths: [...paths] });
  }

  /** Starts reading `orders` (the previous request must have been waited for). */
  request(orders: readonly ReadOrder[]): void {
    if (this.worker.pending) throw new Error('a read-ahead request is already in flight');
    if (orders.length > MAX_READS) throw new Error(`at most ${MAX_READS} reads per request`);
    const job = this.worker.job;
    job[0] = orders.length;
    orders.forEach((o, e) => {
      job[1 + 4 * e] = o.file;
      job[2 + 4 * e] = o.offset;
      job[3 + 4 * e] = o.bytes;
      job[4 + 4 * e] = o.dest;
    });
    this.worker.post();
  }

  /** Blocks until the request in flight is done; a failed read is an error here. */
  wait(): void {
    if (!this.worker.pending) return;
    if (!this.worker.wait()) throw new EngineError('reading the streamed rows back from their temporary files failed');
  }

  /** Ends the worker. */
  close(): void {
    this.worker.close();
  }
}
