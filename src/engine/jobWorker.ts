import { Worker } from 'node:worker_threads';

/**
 * A worker thread that serves one request at a time through shared memory, for the synchronous
 * passes of a streamed fit (lanes.ts runs kernels on it, prefetch.ts reads files on it). The caller
 * writes a request into the float64 job area and bumps a sequence number (Atomics.notify); the
 * worker runs it and stores the same number as done; `wait` blocks in Atomics.wait until then. No
 * messages, no copies.
 *
 * Control words (Int32, shared): the request's sequence number, the last one done, an error flag
 * (set by the worker when a request threw; it stays set), and the stop flag.
 */
const REQ = 0;
const DONE = 1;
const ERROR = 2;
const STOP = 3;

/** What the worker runs, given as source (it is started with `eval`). */
export interface JobWorkerSource {
  /** Statements run once, with `workerData` (the caller's data, plus `ctl` and `job`) and `j`, the job area, in scope. */
  setup: string;
  /** Statements run for each request (reading and writing `j`); a throw sets the error flag. */
  body: string;
  /** Statements run when the worker stops. */
  teardown?: string;
  /** Turns of a busy loop before sleeping (when requests follow each other closely). */
  spin?: number;
}

function workerSource(s: JobWorkerSource): string {
  return `
'use strict';
const { workerData } = require('node:worker_threads');
const c = new Int32Array(workerData.ctl);
const j = new Float64Array(workerData.job);
${s.setup}
let seen = 0;
for (;;) {
  for (let spin = 0; spin < ${s.spin ?? 0} && Atomics.load(c, ${REQ}) === seen; spin++);
  Atomics.wait(c, ${REQ}, seen);
  if (Atomics.load(c, ${STOP}) === 1) break;
  const seq = Atomics.load(c, ${REQ});
  if (seq === seen) continue;
  seen = seq;
  try {
${s.body}
  } catch (e) {
    Atomics.store(c, ${ERROR}, 1);
  }
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}
${s.teardown ?? ''}
`;
}

export class JobWorker {
  /** The job area the requests are written into (float64s shared with the worker). */
  readonly job: Float64Array;
  private readonly ctl: Int32Array;
  private readonly worker: Worker;
  private seq = 0;
  private inFlight = false;

  constructor(source: JobWorkerSource, jobLength: number, data: Record<string, unknown>) {
    const ctl = new SharedArrayBuffer(16);
    const job = new SharedArrayBuffer(8 * jobLength);
    this.ctl = new Int32Array(ctl);
    this.job = new Float64Array(job);
    this.worker = new Worker(workerSource(source), { eval: true, workerData: { ...data, ctl, job } });
    this.worker.unref();
  }

  /** Whether a request is posted and not yet waited for. */
  get pending(): boolean {
    return this.inFlight;
  }

  /** Starts the request written into `job` (the previous one must have been waited for). */
  post(): void {
    this.seq = (this.seq + 1) | 0;
    this.inFlight = true;
    Atomics.store(this.ctl, REQ, this.seq);
    Atomics.notify(this.ctl, REQ);
  }

  /** Blocks until the request in flight is done; false when a request has failed. */
  wait(): boolean {
    while (Atomics.load(this.ctl, DONE) !== this.seq) Atomics.wait(this.ctl, DONE, Atomics.load(this.ctl, DONE), 1000);
    this.inFlight = false;
    return Atomics.load(this.ctl, ERROR) !== 1;
  }

  /** Ends the worker. */
  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.store(this.ctl, REQ, (this.seq + 1) | 0);
    Atomics.notify(this.ctl, REQ);
    void this.worker.terminate();
  }
}
