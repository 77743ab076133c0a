import { Arena, type KernelFunction } from '../backend/arena.js';
import { type ModelMatrix, describeMatrix } from '../backend/modelMatrix.js';
import { chunkCount, chunkStart } from '../backend/pool.js';
import { type Layout, coefView, interceptView, ridgePenalty } from '../loss/layout.js';
import type { Objective } from '../optim/types.js';
import { type KernelCall, Lane } from './lanes.js';
import { Prefetcher, type ReadOrder } from './prefetch.js';
import type { Spill } from './spill.js';

/**
 * The objective J of src/loss/objective.ts over rows that do not stay in memory: every pass streams
 * the coded rows back from the spill files (spill.ts), batch by batch, into two slots of kernel
 * memory (one being read ahead by prefetch.ts while the kernels work on the other), and runs the
 * same fused kernels of src/loss/wasm/sweep.ts on each batch:
 *
 *     J(W, b) = Σᵢ sᵢ·ℓ(W·xᵢ + b, yᵢ) / S  +  (1 − a)·‖W‖²_F / (2·C·S),     S = Σᵢ sᵢ
 *     ∇J      = (Σ_batches Rᵀ·X̃) / S + ridge·W,                             Rᵢ = sᵢ·∂ℓ/∂zᵢ
 *
 * Each batch is one call of a kernel over its rows, and the batches' results are added in batch
 * order exactly as RowPasses adds the chunks of an in-memory pass (the loss from 0, the partial
 * sums part by part). When the batches are the chunks of the in-memory pass over the same n rows
 * (chunkBatches: pool.ts's chunkStart boundaries), every pass, and so every iterate of a solver,
 * is bit-for-bit the in-memory fit's. Hessian products and matrices recompute each batch's
 * per-row curvature at x from its logits (the same numbers the in-memory gradient pass stores).
 *
 * Threads: `threads` batches are computed at once (this thread and lanes.ts's workers, one batch
 * each), while a read-ahead thread (prefetch.ts) brings in the next group. Memory: 2·threads slots
 * of at most the largest batch's rows, whatever the number of rows.
 */

/** Where a batch slot's arrays lie in the arena. */
interface Slot {
  /** Byte offset of each spill part's rows, in spill.parts order. */
  parts: number[];
  /** The kernels' description of the slot as a model matrix. */
  M: number;
  y: number;
  s: number;
}

export interface StreamObjectiveConfig {
  spill: Spill;
  layout: Layout;
  /** S = Σᵢ sᵢ over the spilled rows, summed in row order. */
  weightSum: number;
  /** Inverse regularization strength (Infinity: no penalty). */
  C: number;
  /** a of the elastic net (0: the L2 penalty). */
  l1Ratio: number;
  /** The batches, [first row, end) in row order, covering the rows. */
  batches: ReadonlyArray<readonly [number, number]>;
  /** Whether Hessian products and matrices will be asked for (room for per-row curvature). */
  curvature: boolean;
  /** Batches computed at once (this thread and threads − 1 lanes). */
  threads: number;
}

/**
 * The batches of a streamed pass over n rows with room for `capacity` rows a slot: the chunks of
 * the in-memory pass (chunkCount(n) of them, pool.ts) when the largest fits, which makes every pass
 * bit-identical to the in-memory one; otherwise consecutive batches of `capacity` rows.
 */
export function planBatches(n: number, capacity: number): { batches: Array<[number, number]>; aligned: boolean } {
  const C = chunkCount(n);
  const bounds = Array.from({ length: C + 1 }, (_, c) => chunkStart(n, C, c));
  let largest = 0;
  for (let c = 0; c < C; c++) largest = Math.max(largest, bounds[c + 1]! - bounds[c]!);
  if (largest <= capacity) return { batches: Array.from({ length: C }, (_, c) => [bounds[c]!, bounds[c + 1]!] as [number, number]), aligned: true };
  const step = Math.max(1, Math.floor(capacity));
  const batches: Array<[number, number]> = [];
  for (let a = 0; a < n; a += step) batches.push([a, Math.min(n, a + step)]);
  return { batches, aligned: false };
}

/**
 * Bytes of kernel memory a streamed objective takes for slots of `rows` rows with `threads`
 * batches computed at once: 2·threads slots, a lane's curvature each, the ones, the sums.
 */
export function streamBytes(rowBytes: number, rows: number, K: number, curvature: boolean, threads = 1): number {
  return 2 * threads * rows * rowBytes + rows * 8 + (curvature ? threads * rows * K * 8 : 0) + (1 << 20);
}

/** A compute lane's own areas: partial sums (and scratch), per-row curvature. */
interface LaneArea {
  part: number;
  partView: Float64Array;
  curv: number;
}

export class StreamObjective implements Objective {
  readonly dim: number;
  readonly nSamples: number;
  readonly weightSum: number;
  /** (1 − a)/(C·S): the ridge on the coefficients. */
  readonly ridge: number;
  /** a/(C·S): the weight of ‖W‖₁. */
  readonly l1: number;
  /** Passes over the rows so far (each reads every batch once, or keeps resident batches). */
  passes = 0;
  /** Batches computed at a time: this thread and threads − 1 lanes (lanes.ts). */
  readonly threads: number;
  /** The number of batches a pass reads. */
  get batchCount(): number {
    return this.batches.length;
  }

  private readonly L: Layout;
  private readonly arena: Arena;
  /** 2·threads slots: the group of batches being computed, and the next group being read. */
  private readonly slots: Slot[];
  private readonly areas: LaneArea[];
  private readonly lanes: Lane[];
  private readonly partLen: number;
  private readonly coefP: number;
  private readonly dirP: number;
  private readonly batches: ReadonlyArray<readonly [number, number]>;
  private readonly prefetch: Prefetcher;
  private readonly spill: Spill;
  private readonly p: number;
  /** The batch each slot holds (−1: none), so that batches which all fit stay resident. */
  private readonly holds: number[];
  private fns = new Map<string, KernelFunction>();
  /** Byte offset of B ones (the weights of unweighted passes). */
  private readonly ones: number;

  constructor(cfg: StreamObjectiveConfig) {
    const { spill, layout, batches } = cfg;
    this.L = layout;
    this.dim = layout.dim;
    this.spill = spill;
    this.batches = batches;
    this.nSamples = spill.rows;
    this.weightSum = cfg.weightSum;
    this.p = layout.d;
    const K = layout.K;
    if (!(cfg.weightSum > 0)) throw new RangeError(`the sample weights sum to ${cfg.weightSum}; at least one row needs a positive weight`);
    const a = cfg.l1Ratio;
    this.ridge = Number.isFinite(cfg.C) ? (1 - a) / (cfg.C * cfg.weightSum) : 0;
    this.l1 = Number.isFinite(cfg.C) ? a / (cfg.C * cfg.weightSum) : 0;
    const T = Math.max(1, Math.min(cfg.threads, batches.length));
    this.threads = T;
    const B = batches.reduce((m, [s, e]) => Math.max(m, e - s), 1);
    const shape = spill.shape;
    this.arena = new Arena(streamBytes(spill.rowBytes, B, K, cfg.curvature, T));
    const ar = this.arena;
    // Weights: from the spill, or one shared array of ones (also what unweighted scores read).
    const ones = ar.alloc(B * 8, false);
    ar.f64(ones, B).fill(1);
    this.ones = ones;
    this.slots = Array.from({ length: 2 * T }, () => {
      const parts = spill.parts.map((pt) => ar.alloc(B * pt.rowBytes, false));
      // The slot as a model matrix (views over its parts), described for the kernels.
      let q = 1;
      const dense = ar.f64(parts[0]!, B * shape.denseCols);
      const blocks = shape.blocks.map((b) => {
        const codes = ar.i32(parts[q++]!, B);
        const values = b.hasValues ? ar.f64(parts[q++]!, B) : null;
        return { codes, values, width: b.width };
      });
      const M: ModelMatrix = { rows: B, dense, denseCols: shape.denseCols, blocks, cols: layout.d };
      return { parts, M: describeMatrix(M), y: parts[q]!, s: shape.weights ? parts[q + 1]! : ones };
    });
    this.holds = this.slots.map(() => -1);
    this.partLen = this.fn('partLength')(K, this.p);
    const bytes = Math.ceil(((this.partLen + this.fn('scratchLength')(K)) * 8) / 64) * 64;
    this.areas = Array.from({ length: T }, () => {
      const part = ar.alloc(bytes, false);
      return { part, partView: ar.f64(part, this.partLen), curv: cfg.curvature ? ar.alloc(B * K * 8, false) : 0 };
    });
    this.coefP = ar.alloc((K * this.p + K) * 8);
    this.dirP = ar.alloc((K * this.p + K) * 8);
    this.prefetch = new Prefetcher(ar.memory, spill.parts.map((pt) => pt.path));
    this.lanes = Array.from({ length: T - 1 }, () => new Lane(ar.memory));
  }

  private fn(name: string): KernelFunction {
    let f = this.fns.get(name);
    if (f === undefined) {
      f = this.arena.fn(name);
      this.fns.set(name, f);
    }
    return f;
  }

  /** Runs kernel calls on this thread; returns the last one's result. */
  private runHere(calls: readonly KernelCall[]): number {
    let r = 0;
    for (const c of calls) r = this.fn(c.fn)(...c.args);
    return r;
  }

  /**
   * One pass: the batches in groups of `threads`, each group's batches computed at once (the first
   * on this thread, the others on the lanes) while the next group is read ahead into the other
   * half of the slots; `collect` sees every batch's result in batch order. Slots keep what they
   * hold, so data that fit in the slots are read once.
   */
  private sweep(work: (slot: Slot, rows: number, area: LaneArea) => KernelCall[], collect: (result: number, area: LaneArea) => void): void {
    const nb = this.batches.length;
    const T = this.threads;
    const groups = Math.ceil(nb / T);
    const slotOf = (b: number) => (Math.floor(b / T) % 2) * T + (b % T);
    const load = (g: number) => {
      const orders: ReadOrder[] = [];
      for (let b = g * T; b < Math.min(nb, (g + 1) * T); b++) {
        const s = slotOf(b);
        if (this.holds[s] === b) continue;
        const [from, to] = this.batches[b]!;
        this.spill.parts.forEach((pt, k) => orders.push({ file: k, offset: from * pt.rowBytes, bytes: (to - from) * pt.rowBytes, dest: this.slots[s]!.parts[k]! }));
        this.holds[s] = b;
      }
      if (orders.length > 0) this.prefetch.request(orders);
    };
    load(0);
    for (let g = 0; g < groups; g++) {
      this.prefetch.wait();
      if (g + 1 < groups) load(g + 1);
      const first = g * T;
      const last = Math.min(nb, first + T);
      const rowsOf = (b: number) => this.batches[b]![1] - this.batches[b]![0];
      for (let b = first + 1; b < last; b++) this.lanes[b - first - 1]!.run(work(this.slots[slotOf(b)]!, rowsOf(b), this.areas[b - first]!));
      let failure: unknown = null;
      try {
        collect(this.runHere(work(this.slots[slotOf(first)]!, rowsOf(first), this.areas[0]!)), this.areas[0]!);
      } catch (e) {
        failure = e;
      }
      for (let b = first + 1; b < last; b++) {
        const r = this.lanes[b - first - 1]!.wait();
        if (failure === null) collect(r, this.areas[b - first]!);
      }
      if (failure !== null) throw failure;
    }
    this.prefetch.wait();
    this.passes++;
  }

  /** Copies x into a coefficient buffer of the kernels: W, then b (0 without intercepts). */
  private load(ptr: number, x: Float64Array): void {
    const KD = this.L.K * this.p;
    const target = this.arena.f64(ptr, KD + this.L.K);
    target.fill(0);
    target.set(coefView(x, this.L));
    const b = interceptView(x, this.L);
    if (b !== null) target.set(b, KD);
  }

  /**
   * Runs `calls` on every batch and adds the last call's partial sums into out (layout of x: G then
   * gb) and its results into the returned total, in batch order as RowPasses.run and RowPasses.sum
   * add chunks (sums of 4096 or more values start from the first part, as accumulateParts does).
   */
  private passSum(calls: (slot: Slot, rows: number, area: LaneArea) => KernelCall[], out: Float64Array | null): number {
    const K = this.L.K;
    const KD = K * this.p;
    let total = 0;
    let first = true;
    if (out !== null) out.fill(0);
    this.sweep(calls, (result, area) => {
      total += result;
      if (out !== null) {
        addPart(out, area.partView, 0, KD, 0, first, this.batches.length);
        if (this.L.fitIntercept) addPart(out, area.partView, KD, K, KD, first, this.batches.length);
      }
      first = false;
    });
    return total;
  }

  /** ‖W‖²_F·ridge/2, adding ridge·W to grad's W block when given (LinearModelObjective's penalty). */
  private penalty(x: Float64Array, grad: Float64Array | null): number {
    return ridgePenalty(x, this.L, this.ridge, grad);
  }

  /** The kernel call of a gradient pass over a batch at the coefficients in coefP (curvature into `curv` when not 0). */
  private gradientCall(slot: Slot, rows: number, area: LaneArea, curv: number): KernelCall {
    const K = this.L.K;
    return { fn: 'gradientRows', args: [0, rows, area.part, slot.M, K, this.coefP, this.coefP + K * this.p * 8, slot.y, slot.s, curv] };
  }

  valueAndGradient(x: Float64Array, grad: Float64Array): number {
    this.load(this.coefP, x);
    const lossSum = this.passSum((slot, rows, area) => [this.gradientCall(slot, rows, area, 0)], grad);
    const invS = 1 / this.weightSum;
    for (let j = 0; j < this.dim; j++) grad[j] = grad[j]! * invS;
    return lossSum * invS + this.penalty(x, grad);
  }

  /** J(x) without the gradient: one forward pass. */
  value(x: Float64Array): number {
    return this.dataLoss(x) + this.penalty(x, null);
  }

  /** Σᵢ sᵢℓᵢ / S at x, one forward pass. */
  dataLoss(x: Float64Array): number {
    const K = this.L.K;
    this.load(this.coefP, x);
    const calls = (slot: Slot, rows: number, area: LaneArea): KernelCall[] => [
      { fn: 'valueRows', args: [0, rows, area.part, slot.M, K, this.coefP, this.coefP + K * this.p * 8, slot.y, slot.s, 0] },
    ];
    return this.passSum(calls, null) / this.weightSum;
  }

  /**
   * The mean log loss Σsℓ/S (with `unweighted`, Σℓ/n, as the in-memory training report computes
   * it) and the number of rows whose most probable class is theirs, in one pass.
   */
  lossAndCorrect(x: Float64Array, unweighted = false): { loss: number; correct: number } {
    const K = this.L.K;
    this.load(this.coefP, x);
    let correct = 0;
    let total = 0;
    const calls = (slot: Slot, rows: number, area: LaneArea): KernelCall[] => [
      { fn: 'accuracyRows', args: [0, rows, area.part, slot.M, K, this.coefP, this.coefP + K * this.p * 8, slot.y, unweighted ? this.ones : slot.s] },
    ];
    this.sweep(calls, (result, area) => {
      total += result;
      correct += area.partView[0]!;
    });
    return { loss: total / (unweighted ? this.nSamples : this.weightSum), correct };
  }

  private needCurvature(): void {
    if (this.areas[0]!.curv === 0) throw new Error('this streamed objective was made without room for curvature');
  }

  hessVec(x: Float64Array): (v: Float64Array, out: Float64Array) => void {
    this.needCurvature();
    const at = Float64Array.from(x);
    const K = this.L.K;
    const KD = K * this.p;
    return (v, out) => {
      this.load(this.coefP, at);
      this.load(this.dirP, v);
      // Per batch: the curvature at x from its logits, then the product with the direction.
      this.passSum((slot, rows, area) => [
        this.gradientCall(slot, rows, area, area.curv),
        { fn: 'hessianRows', args: [0, rows, area.part, slot.M, K, this.dirP, this.dirP + KD * 8, area.curv] },
      ], out);
      const invS = 1 / this.weightSum;
      for (let j = 0; j < this.dim; j++) out[j] = out[j]! * invS + (j < KD ? this.ridge * v[j]! : 0);
    };
  }

  hessDiag(x: Float64Array): Float64Array {
    this.needCurvature();
    const K = this.L.K;
    const KD = K * this.p;
    this.load(this.coefP, x);
    const diag = new Float64Array(this.dim);
    this.passSum((slot, rows, area) => [
      this.gradientCall(slot, rows, area, area.curv),
      { fn: 'curvatureDiagonalRows', args: [0, rows, area.part, slot.M, K, area.curv] },
    ], diag);
    const invS = 1 / this.weightSum;
    for (let j = 0; j < this.dim; j++) diag[j] = diag[j]! * invS + (j < KD ? this.ridge : 0);
    return diag;
  }

  /**
   * ∇²J(x) (dim × dim, row-major), or its submatrix over model columns `columns` (increasing; every
   * class and the intercepts), as LinearModelObjective.hessianMatrix forms it: the Gram kernel over
   * each batch's curvature, the batches' sums added in order, divided by S, the ridge on W's diagonal.
   */
  hessianMatrix(x: Float64Array, columns?: Int32Array): Float64Array {
    this.needCurvature();
    const K = this.L.K;
    const p = this.p;
    const pSel = columns === undefined ? p : columns.length;
    const q = K * pSel + (this.L.fitIntercept ? K : 0);
    const ar = this.arena;
    const mark = ar.mark();
    try {
      let sel = 0;
      if (columns !== undefined) {
        sel = ar.alloc(4 * Math.max(1, p), false);
        const map = ar.i32(sel, p);
        map.fill(-1);
        columns.forEach((j, t) => {
          if (!(j >= 0 && j < p) || (t > 0 && j <= columns[t - 1]!)) throw new RangeError(`hessianMatrix: columns must increase within [0, ${p}), got ${j} at ${t}`);
          map[j] = t;
        });
      }
      const scratch = Math.ceil(this.fn('gramScratchBytes')(p) / 8);
      const gbytes = Math.ceil(((q * q + scratch) * 8) / 64) * 64;
      const gparts = this.areas.map(() => ar.alloc(gbytes, false));
      const G = new Float64Array(q * q);
      this.load(this.coefP, x);
      let first = true;
      this.sweep((slot, rows, area) => [
        this.gradientCall(slot, rows, area, area.curv),
        { fn: 'gramRows', args: [0, rows, gparts[this.areas.indexOf(area)]!, slot.M, K, this.L.fitIntercept ? 1 : 0, area.curv, K === 1 ? 0 : 1, sel, pSel] },
      ], (_, area) => {
        addPart(G, ar.f64(gparts[this.areas.indexOf(area)]!, q * q), 0, q * q, 0, first, this.batches.length);
        first = false;
      });
      for (let i = 0; i < q; i++) for (let j = 0; j < i; j++) G[j * q + i] = G[i * q + j]!;
      const invS = 1 / this.weightSum;
      for (let i = 0; i < q * q; i++) G[i] = G[i]! * invS;
      for (let j = 0; j < K * pSel; j++) G[j * q + j] = G[j * q + j]! + this.ridge;
      return G;
    } finally {
      ar.release(mark);
    }
  }

  /** The L1 weight a/(C·S) of every coefficient, 0 for the intercepts (what proxNewton takes). */
  l1Weights(): Float64Array {
    const w = new Float64Array(this.dim);
    w.fill(this.l1, 0, this.L.K * this.p);
    return w;
  }

  /** a·‖W‖₁/(C·S). */
  l1Penalty(x: Float64Array): number {
    if (this.l1 === 0) return 0;
    let s = 0;
    for (let j = 0; j < this.L.K * this.p; j++) s += Math.abs(x[j]!);
    return this.l1 * s;
  }

  /** J(x) with the L1 part. */
  fullValue(x: Float64Array): number {
    return this.value(x) + this.l1Penalty(x);
  }

  /** Stops the read-ahead and compute threads (the spill is its owner's to remove). */
  close(): void {
    this.prefetch.close();
    for (const l of this.lanes) l.close();
  }
}

/**
 * out[to + j] (+)= part[from + j] for j < count: the first batch's part replaces out's values when
 * RowPasses.sum would start from the first chunk (count ≥ 4096 over several chunks), otherwise every
 * part is added to out (cleared by the caller), as the in-memory sums are.
 */
function addPart(out: Float64Array, part: Float64Array, from: number, count: number, to: number, first: boolean, batches: number): void {
  if (first && count >= 4096 && batches > 1) {
    for (let j = 0; j < count; j++) out[to + j] = part[from + j]!;
    return;
  }
  for (let j = 0; j < count; j++) out[to + j] += part[from + j]!;
}
