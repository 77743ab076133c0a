import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DenseMatrix } from './dense.js';
import { type LinearKernels, BLOCK_ROWS, jsKernels } from './kernels.js';
import { axpyRow, backwardRows, dotRow, forwardRows } from './rows.js';

/**
 * Kernels that split the rows of X over the main thread and worker threads (X in shared memory).
 * A sweep runs in three phases so that the backend stays ignorant of losses:
 *   1. forward, in parallel: Z = X·Wᵀ + b for every row (Z n×K, shared);
 *   2. the visitor (the loss), on the main thread, block by block over Z;
 *   3. backward, in parallel: each thread sums Rᵀ·X over its rows into its own buffer, and the
 *      main thread adds the buffers in a fixed order, so a run is deterministic for a thread count.
 * Mini-batch sweeps (a subset of rows) and the rarely used kernels run serially.
 * The workers run the same row kernels as the serial backend (rows.ts), shipped as source.
 */
export interface ThreadedKernels extends LinearKernels {
  /** Number of threads sharing the rows (main thread included). */
  readonly threads: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
${dotRow.toString()}
${axpyRow.toString()}
${forwardRows.toString()}
${backwardRows.toString()}
const { X, d, ctl, r0, r1 } = workerData;
parentPort.on('message', (m) => {
  if (m.op === 'forward') forwardRows(X, d, m.W, m.b, m.K, m.Z, r0 * m.K, r0, r1);
  else {
    m.P.fill(0);
    m.Pb.fill(0);
    backwardRows(X, d, m.Z, r0 * m.K, m.K, m.P, m.Pb, r0, r1);
  }
  Atomics.add(ctl, 0, 1);
  Atomics.notify(ctl, 0);
});
`;

function shared(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
}

/** Rows × columns × logits below which threads do not pay for their start-up and synchronization. */
export const PARALLEL_THRESHOLD = 2_000_000;

/**
 * The kernels for a fit. threads 'auto': threaded when the machine has more than one core and the
 * work per sweep is large enough (n·d·K ≥ PARALLEL_THRESHOLD), else serial; a number: exactly that
 * many threads (1 = serial), whatever the size. X is copied into shared memory if it is not there
 * already (toDense allocates it there).
 */
export function bestKernels(X: DenseMatrix, K: number, threads: number | 'auto' = 'auto'): LinearKernels {
  if (threads === 'auto') {
    const cores = Math.min(availableParallelism(), 8);
    if (cores < 2 || X.rows * X.cols * K < PARALLEL_THRESHOLD || X.rows < 4 * cores) return jsKernels(X);
    return threadedKernels(X, cores);
  }
  return threads <= 1 || X.rows < threads ? jsKernels(X) : threadedKernels(X, threads);
}

export function threadedKernels(X: DenseMatrix, threads: number): ThreadedKernels {
  const { rows: n, cols: d } = X;
  let data = X.data;
  if (!(data.buffer instanceof SharedArrayBuffer)) {
    const copy = shared(data.length);
    copy.set(data);
    data = copy;
  }
  const serial = jsKernels({ data, rows: n, cols: d });
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * n) / threads));
  const ctl = new Int32Array(new SharedArrayBuffer(4));
  let workers: Worker[] | null = null;
  let Kcap = 0;
  let Wsh = shared(0);
  let bsh = shared(0);
  let Z = shared(0);
  let partials: Array<{ P: Float64Array; Pb: Float64Array }> = [];

  const start = (): Worker[] => {
    if (workers === null) {
      workers = bounds.slice(1, -1).map((r0, t) => {
        const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { X: data, d, ctl, r0, r1: bounds[t + 2]! } });
        w.unref();
        return w;
      });
    }
    return workers;
  };
  const ensure = (K: number) => {
    if (K <= Kcap) return;
    Kcap = K;
    Wsh = shared(K * d);
    bsh = shared(K);
    Z = shared(n * K);
    partials = bounds.slice(2).map(() => ({ P: shared(K * d), Pb: shared(K) }));
  };
  /** Posts a phase to every worker, runs the main thread's share, then waits for all of them. */
  const phase = (message: (t: number) => object, own: () => void) => {
    const ws = start();
    Atomics.store(ctl, 0, 0);
    ws.forEach((w, t) => w.postMessage(message(t)));
    own();
    const deadline = Date.now() + 600_000;
    for (let v = Atomics.load(ctl, 0); v < ws.length; v = Atomics.load(ctl, 0)) {
      if (Atomics.wait(ctl, 0, v, 1000) === 'timed-out' && Date.now() > deadline) {
        throw new Error('a kernel worker thread did not answer within 10 minutes');
      }
    }
  };

  return {
    rows: n,
    cols: d,
    threads,
    forward: serial.forward,
    weightedSquares: serial.weightedSquares,
    sweep(W, b, K, visit, G, gb, rows, count) {
      if (rows !== undefined) return serial.sweep(W, b, K, visit, G, gb, rows, count);
      ensure(K);
      const Wk = Wsh.subarray(0, K * d);
      Wk.set(W.subarray(0, K * d));
      const bk = b === null ? null : bsh.subarray(0, K);
      if (b !== null) bk!.set(b.subarray(0, K));
      const Zk = Z.subarray(0, n * K);
      phase(
        () => ({ op: 'forward', W: Wk, b: bk, K, Z: Zk }),
        () => forwardRows(data, d, Wk, bk, K, Zk, 0, 0, bounds[1]!),
      );
      let acc = 0;
      for (let s = 0; s < n; s += BLOCK_ROWS) {
        const m = Math.min(BLOCK_ROWS, n - s);
        acc += visit(Zk.subarray(s * K, (s + m) * K), m, s, null);
      }
      G.fill(0, 0, K * d);
      if (gb !== null) gb.fill(0, 0, K);
      phase(
        (t) => ({ op: 'backward', K, Z: Zk, P: partials[t]!.P.subarray(0, K * d), Pb: partials[t]!.Pb.subarray(0, K) }),
        () => backwardRows(data, d, Zk, 0, K, G, gb, 0, bounds[1]!),
      );
      for (const { P, Pb } of partials) {
        for (let j = 0; j < K * d; j++) G[j] += P[j]!;
        if (gb !== null) for (let k = 0; k < K; k++) gb[k] += Pb[k]!;
      }
      return acc;
    },
    dispose() {
      workers?.forEach((w) => void w.terminate());
      workers = null;
    },
  };
}
