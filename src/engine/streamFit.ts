import type { Column } from '../data/table.js';
import { type DesignSpec, applyDesign } from '../design/modelFrame.js';
import { makeLayout } from '../loss/layout.js';
import type { Classifier } from '../model/fit.js';
import { type ModelOptions, resolveOptions } from '../model/options.js';
import { PROX_NEWTON_MAX_DIM } from '../model/solve.js';
import { defaultThreads } from '../backend/pool.js';
import { blockShapes } from '../backend/modelMatrix.js';
import type { Standardization } from '../model/standardize.js';
import { type StreamStats, designPass } from './design.js';
import { publicStandardization } from '../model/standardize.js';
import { interceptsFromFrequencies } from '../model/linearClassifier.js';
import { checkClassTotals, classPlan, fittedModel, scaledC } from './modelState.js';
import { checkSolver, needsCurvature, solvePasses } from './solve.js';
import type { BatchSource } from './source.js';
import { Spill } from './spill.js';
import { StreamObjective, planBatches } from './streamObjective.js';

/**
 * A fit whose rows stream from a source instead of living in kernel memory:
 *
 *   1. the design pass (design.ts): levels, classes, imputed means, errors, over the source once;
 *   2. the coding pass: each batch of the source coded by applyDesign (src/design/modelFrame.ts) into
 *      model-matrix rows, with labels and weights, appended to the spill files (spill.ts); the dense
 *      columns' sums for standardization, S = Σᵢsᵢ and the class frequencies, in row order;
 *   3. with --standardize, two passes over the spilled dense columns (their spread, then the
 *      standardized values written back), as fitStandardization and applyStandardization do in memory;
 *   4. the solver (solve.ts), each of its passes streaming the spill through the kernels
 *      (streamObjective.ts) in batches that fit `memoryLimit` bytes of kernel memory;
 *   5. one pass for the training log loss and accuracy.
 *
 * The model is the in-memory fit's in every respect (classes, positive class, weights and their
 * scale, warm start, centring, design, file) except that an unpenalized fit's separation is not
 * checked ('not-checked': the exact test needs the rows in memory).
 */

/** What a streamed fit is asked to do. */
export interface StreamFitRequest {
  source: BatchSource;
  /** The design spec (target or formula, features, missing policy, weight column, intercept). */
  spec: DesignSpec;
  model: 'auto' | 'binary' | 'softmax';
  options: ModelOptions;
  /** Bytes of kernel memory for the rows (two batch slots). */
  memoryLimit: number;
}

/** What a streamed fit reports besides the model. */
export interface StreamReport {
  rows: number;
  n: number;
  dropped: number;
  warnings: string[];
  /** Passes over the data, by kind: the source's (design, coding), standardization's, the solver's, the report's. */
  passes: { source: number; standardize: number; solver: number; report: number; total: number };
  batches: number;
  batchRows: number;
  /** Whether the batches are the in-memory pass's chunks (then every pass is bit-identical to it). */
  aligned: boolean;
  /** Batches computed at once. */
  threads: number;
  /** Bytes of the coded rows on disk. */
  spillBytes: number;
  /** Kernel memory of the batch slots, in bytes. */
  slotBytes: number;
  training: { logLoss: number; accuracy: number };
  seconds: { design: number; coding: number; fit: number };
}

/** The most kernel memory the batch slots take, whatever the limit: room under the 4 GiB of a WebAssembly memory. */
const MAX_LIMIT = 3.5 * 2 ** 30;

/** Rows of source batches for the design and coding passes: within the limit, at most 2^20. */
function sourceRows(limit: number, columns: number): number {
  return Math.max(256, Math.min(1 << 20, Math.floor(limit / (2 * 8 * Math.max(1, columns)))));
}

/** A streamed problem ready for a solver: the spilled rows, their objective and the fit's particulars. */
export interface PreparedStream {
  objective: StreamObjective;
  spill: Spill;
  o: ReturnType<typeof resolveOptions>;
  plan: ReturnType<typeof classPlan>;
  design: Awaited<ReturnType<typeof designPass>>['design'];
  stats: StreamStats;
  layout: ReturnType<typeof makeLayout>;
  x0: Float64Array;
  order: Int32Array;
  standardization: Standardization | null;
  standardizePasses: number;
  aligned: boolean;
  batchRows: number;
  seconds: { design: number; coding: number };
  /** Stops the objective's threads and removes the spill. */
  close(): void;
}

/**
 * Steps 1 to 3 of the module comment: the design pass, the coding pass into the spill, the
 * standardization, and the objective over the spill. The caller closes what it returns; on an
 * error the spill is removed here.
 */
export async function prepareStream(req: StreamFitRequest): Promise<PreparedStream> {
  const o = resolveOptions(req.options);
  checkSolver(o, 'a streamed fit');
  const t0 = performance.now();
  const spec: DesignSpec = { ...req.spec, intercept: req.spec.intercept ?? o.fitIntercept };
  const readRows = sourceRows(req.memoryLimit, req.source.schema.length);
  const { design, stats, roles } = await designPass(req.source, spec, readRows);
  const plan = classPlan(stats.classes, stats.classCounts, stats.classMaxWeight, roles.weight !== null, o, req.model, design.response);
  const tDesign = performance.now();

  // Class index of a row: from the response's level code or value, through the design pass's order.
  const respSchema = req.source.schema.find((c) => c.name === roles.response)!;
  const levelClass = respSchema.kind === 'categorical'
    ? Int32Array.from(respSchema.levels!, (l) => {
      const k = stats.classes.indexOf(l);
      return k < 0 ? -1 : plan.index[k]!;
    })
    : null;
  const valueClass = new Map<number, number>(stats.classes.map((c, k) => [c as number, plan.index[k]!]));
  const nc = plan.classes.length;
  const K = plan.K;
  const mean = roles.missing === 'mean';

  let spill: Spill | null = null;
  try {
    let S = 0;
    const freq = new Float64Array(nc);
    let freqTotal = 0;
    const classTotals = new Float64Array(nc);
    let denseSum: Float64Array | null = null;
    let order: Int32Array | null = null;
    let denseCols = 0;
    await req.source.batches(readRows, (batch) => {
      const col = (name: string) => batch.columns.find((c) => c.name === name)!;
      const resp = col(roles.response);
      const w = roles.weight === null ? null : (col(roles.weight) as Column & { kind: 'numeric' });
      const checked: Column[] = [resp, ...(w === null ? [] : [w]), ...(mean ? [] : roles.sources.map((s) => col(s.name)))].filter((c) => c.missing > 0);
      let kept: Uint32Array;
      if (checked.length === 0) kept = Uint32Array.from({ length: batch.n }, (_, r) => r);
      else {
        const rows: number[] = [];
        for (let r = 0; r < batch.n; r++) {
          if (!checked.some((c) => (c.kind === 'numeric' ? c.values[r] !== c.values[r] : c.codes[r]! < 0))) rows.push(r);
        }
        kept = Uint32Array.from(rows);
      }
      if (kept.length === 0) return;
      const frame = applyDesign(design, batch, { rows: kept, unknownLevel: 'error' });
      const M = frame.matrix;
      const m = kept.length;
      if (spill === null) {
        denseCols = M.denseCols;
        order = frame.order;
        denseSum = new Float64Array(denseCols);
        spill = new Spill({ denseCols, blocks: blockShapes(M), weights: plan.weighted });
      }
      const y = new Int32Array(m);
      for (let t = 0; t < m; t++) {
        const r = kept[t]!;
        y[t] = levelClass !== null ? levelClass[(resp as Column & { kind: 'categorical' }).codes[r]!]! : valueClass.get((resp as Column & { kind: 'numeric' }).values[r]! === 0 ? 0 : (resp as Column & { kind: 'numeric' }).values[r]!)!;
      }
      let s: Float64Array | null = null;
      if (plan.weighted) {
        s = new Float64Array(m);
        const cw = plan.classWeight;
        for (let t = 0; t < m; t++) {
          const v = (w === null ? 1 : w.values[kept[t]!]!) * (cw === null ? 1 : cw[y[t]!]!);
          classTotals[y[t]!] += v;
          s[t] = plan.scale === 1 ? v : v / plan.scale;
        }
        for (let t = 0; t < m; t++) {
          const v = s[t]!;
          S += v;
          freq[y[t]!] += v;
          freqTotal += v;
        }
      } else {
        for (let t = 0; t < m; t++) {
          freq[y[t]!] += 1;
          freqTotal += 1;
          classTotals[y[t]!] += 1;
        }
      }
      const dense = M.dense;
      const sum = denseSum!;
      for (let i = 0; i < m; i++) for (let j = 0; j < denseCols; j++) sum[j] += dense[i * denseCols + j]!;
      const views: ArrayBufferView[] = [dense];
      for (const b of M.blocks) {
        views.push(b.codes);
        if (b.values !== null) views.push(b.values);
      }
      views.push(y);
      if (s !== null) views.push(s);
      spill!.append(m, views);
    });
    const sp = spill as Spill | null;
    if (sp === null || order === null) throw new RangeError(`${req.source.name}: no row is left to fit`);
    const n = sp.rows;
    if (!plan.weighted) S = n;
    checkClassTotals(plan.classes, classTotals);
    const C = scaledC(o.C, plan.scale, S);
    const tCoding = performance.now();

    // --standardize: the dense columns' mean (summed above) and population std, then the rows rewritten.
    let standardization: Standardization | null = null;
    let standardizePasses = 0;
    const p = design.names.length;
    if (o.standardize) {
      const d = denseCols;
      const m1 = Float64Array.from(denseSum!, (v) => v / n);
      const m2 = new Float64Array(d);
      const chunk = Math.max(1, Math.min(n, Math.floor((64 << 20) / Math.max(1, 8 * d))));
      const buf = new Float64Array(chunk * d);
      const bytes = new Uint8Array(buf.buffer);
      if (d > 0) {
        for (let a = 0; a < n; a += chunk) {
          const c = Math.min(chunk, n - a);
          sp.read(0, a, c, bytes.subarray(0, c * d * 8));
          for (let i = 0; i < c; i++) {
            for (let j = 0; j < d; j++) {
              const v = buf[i * d + j]! - m1[j]!;
              m2[j] += v * v;
            }
          }
        }
        const sd = Float64Array.from(m2, (v) => {
          const s = Math.sqrt(v / n);
          return s > 0 ? s : 1;
        });
        for (let a = 0; a < n; a += chunk) {
          const c = Math.min(chunk, n - a);
          sp.read(0, a, c, bytes.subarray(0, c * d * 8));
          for (let i = 0; i < c; i++) for (let j = 0; j < d; j++) buf[i * d + j] = (buf[i * d + j]! - m1[j]!) / sd[j]!;
          sp.write(0, a, c, bytes.subarray(0, c * d * 8));
        }
        standardizePasses = 2;
        standardization = publicStandardization({ mean: m1, std: sd }, order, d, p);
      } else {
        standardization = publicStandardization({ mean: new Float64Array(0), std: new Float64Array(0) }, order, 0, p);
      }
    }

    const icpt = design.intercept;
    const layout = makeLayout(p, K, icpt);
    if ((o.penalty === 'l1' || o.penalty === 'elasticnet') && layout.dim > PROX_NEWTON_MAX_DIM) {
      throw new RangeError(`penalty '${o.penalty}' is fitted for up to ${PROX_NEWTON_MAX_DIM} coefficients; this model has ${layout.dim}`);
    }
    const x0 = new Float64Array(layout.dim);
    if (icpt) interceptsFromFrequencies(x0.subarray(K * p), freq, freqTotal, K);
    const curvature = needsCurvature(o);
    // Batches: the in-memory chunks when they fit the limit with as many threads as allowed (fewer
    // threads leave room for larger batches), else batches of the size the limit allows.
    const most = o.threads === 'auto' ? defaultThreads() : o.threads;
    const limit = Math.min(req.memoryLimit, MAX_LIMIT);
    const capacity = (T: number) => Math.max(1, Math.floor(limit / (2 * T * sp.rowBytes + 8 + (curvature ? 8 * K * T : 0))));
    let threads = most;
    let plan2 = planBatches(n, capacity(most));
    for (let T = most; T >= 1 && !plan2.aligned; T--) {
      const tryPlan = planBatches(n, capacity(T));
      if (tryPlan.aligned) {
        plan2 = tryPlan;
        threads = T;
      }
    }
    const { batches, aligned } = plan2;
    const batchRows = batches.reduce((mx, [a, b]) => Math.max(mx, b - a), 0);
    const objective = new StreamObjective({ spill: sp, layout, weightSum: S, C, l1Ratio: o.l1Ratio, batches, curvature, threads });
    return {
      objective, spill: sp, o, plan, design, stats, layout, x0, order, standardization, standardizePasses, aligned, batchRows,
      seconds: { design: (tDesign - t0) / 1000, coding: (tCoding - tDesign) / 1000 },
      close() {
        objective.close();
        sp.remove();
      },
    };
  } catch (e) {
    (spill as Spill | null)?.remove();
    throw e;
  }
}

/** Fits by streaming; see the module comment. The spill is removed whatever happens. */
export async function streamFit(req: StreamFitRequest): Promise<{ model: Classifier; report: StreamReport }> {
  const ps = await prepareStream(req);
  try {
    const { objective, o, plan, design, stats, layout, x0, order, standardization } = ps;
    const tFit = performance.now();
    const result = solvePasses(o, objective, layout, x0);
    const fitSeconds = (performance.now() - tFit) / 1000;
    const solverPasses = objective.passes;
    const model = fittedModel({ plan, design, o, result, order, standardization, fitSeconds });
    // The training report at the model's own coefficients (softmax: centred), as the in-memory one.
    const K = plan.K;
    const p = layout.d;
    const xs = new Float64Array(layout.dim);
    const coef = model.coef;
    for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) xs[k * p + order[j]!] = coef[k]![j]!;
    if (layout.fitIntercept) xs.set(model.intercept, K * p);
    const scores = objective.lossAndCorrect(xs, true);
    const n = ps.spill.rows;
    const nb = ps.objective.batchCount;
    const report: StreamReport = {
      rows: stats.rows, n, dropped: stats.dropped, warnings: stats.warnings,
      passes: { source: 2, standardize: ps.standardizePasses, solver: solverPasses, report: 1, total: 2 + ps.standardizePasses + solverPasses + 1 },
      batches: nb, batchRows: ps.batchRows, aligned: ps.aligned, threads: objective.threads, spillBytes: n * ps.spill.rowBytes,
      slotBytes: 2 * objective.threads * ps.batchRows * ps.spill.rowBytes,
      training: { logLoss: scores.loss, accuracy: scores.correct / n },
      seconds: { design: ps.seconds.design, coding: ps.seconds.coding, fit: fitSeconds },
    };
    return { model, report };
  } finally {
    ps.close();
  }
}
