/**
 * The benchmark harness: `npm run bench` (add `-- --vs-sklearn` to compare with scikit-learn,
 * `--rounds N` for the number of alternating rounds, default 5).
 *
 * Part 1, in process: seeded synthetic problems generated here, at several sizes up to 1,000,000
 * rows; for each, the time of one fused value-and-gradient pass on one thread and on every core
 * (GFLOP/s counting 4·n·d·K flops: the forward and backward multiply-adds; bytes/s counting one
 * read of X), and the fit time and passes over X of the auto, lbfgs and newton solvers.
 * Part 2, with --vs-sklearn: the bench sets (bench/synth.py) through the built CLI
 * (`logreg train --data <file> --target label --json`) and through bench/sk_fit.py, alternating one
 * run of each per round so that both see the same machine load; peak memory from /usr/bin/time.
 * Every ratio is logreg / scikit-learn within a round; the table shows the median over the rounds
 * of each figure and of each ratio. The optimum each objective is measured against comes from
 * bench/optima.py (Newton's method in numpy), computed once per data file.
 * With --inference: summary() (nonrobust, hc1) against the fit time on bin100k (bench/inference.ts).
 * Part 3, with --airline: the airline-like categorical data (bench/airline.py): on 1M rows the whole
 * `logreg train --standardize` command against bench/sk_air.py (pandas, one-hot, StandardScaler,
 * lbfgs) in alternating rounds; on 10M rows (about 380 MB of CSV) logreg alone: time and peak memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dense } from '../dist/backend/dense.js';
import { binomialLoss } from '../dist/loss/binomial.js';
import { makeLayout } from '../dist/loss/layout.js';
import { multinomialLoss } from '../dist/loss/multinomial.js';
import { LinearModelObjective } from '../dist/loss/objective.js';
import { fit, warmUp } from '../dist/index.js';
import { createRng } from '../dist/util/random.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(argValue('--rounds') ?? 5);

/** n×d standard-normal features; labels from a random linear model with logistic noise. */
function synth(n: number, d: number, K: number, seed: number) {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = gauss();
  const W = Float64Array.from({ length: (K === 2 ? 1 : K) * d }, () => gauss() / Math.sqrt(d));
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (K === 2) {
      let z = 0;
      for (let j = 0; j < d; j++) z += W[j]! * X[i * d + j]!;
      y[i] = rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
    } else {
      let best = 0;
      let bestV = -Infinity;
      for (let k = 0; k < K; k++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += W[k * d + j]! * X[i * d + j]!;
        const v = 2 * z - Math.log(-Math.log(1 - rng.next())); // Gumbel-max sampling of softmax(2z)
        if (v > bestV) { bestV = v; best = k; }
      }
      y[i] = best;
    }
  }
  return { X: dense(X, n, d), y };
}

/** The fastest of several timed runs of f, in seconds. */
function bestOf(f: () => void, reps: number, rounds = 3): number {
  f();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    best = Math.min(best, (performance.now() - t0) / 1000 / reps);
  }
  return best;
}

/** One fused value-and-gradient pass (no curvature stored: what L-BFGS runs), on `threads` threads. */
function passSeconds(X: ReturnType<typeof dense>, y: number[], K: number, threads: number): number {
  const Kl = K === 2 ? 1 : K;
  const obj = new LinearModelObjective({
    X, loss: Kl === 1 ? binomialLoss : multinomialLoss(Kl), layout: makeLayout(X.cols, Kl, true),
    y: Int32Array.from(y), weights: null, C: 1, threads,
  });
  const x = new Float64Array(obj.dim).fill(0.01);
  const g = new Float64Array(obj.dim);
  const reps = Math.max(1, Math.round(2e7 / (X.rows * X.cols * Kl)));
  return bestOf(() => obj.valueAndGradient(x, g), reps);
}

function printTable(header: string[], body: string[][], left = 2) {
  const all = [header, ...body];
  const w = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  for (const r of all) console.log(r.map((cell, c) => (c < left ? cell.padEnd(w[c]!) : cell.padStart(w[c]!))).join('  '));
}

const cores = Math.min(availableParallelism(), 8);
warmUp(cores);
console.log(`${cores} cores; Node ${process.version}\n`);
const sizes: Array<[string, number, number, number]> = [
  ['bin 10k×100', 10_000, 100, 2],
  ['bin 100k×100', 100_000, 100, 2],
  ['bin 1M×20', 1_000_000, 20, 2],
  ['softmax 50k×50, K=10', 50_000, 50, 10],
  ['softmax 1M×10, K=5', 1_000_000, 10, 5],
];
const passRows: string[][] = [];
const fitRows: string[][] = [];
for (const [name, n, d, K] of sizes) {
  const { X, y } = synth(n, d, K, 1);
  const Kl = K === 2 ? 1 : K;
  const one = passSeconds(X, y, K, 1);
  const all = passSeconds(X, y, K, cores);
  const flops = 4 * n * d * Kl;
  passRows.push([name, (one * 1000).toFixed(2), (flops / one / 1e9).toFixed(2), (all * 1000).toFixed(2), (flops / all / 1e9).toFixed(2),
    ((8 * n * d) / all / 1e9).toFixed(1)]);
  for (const solver of ['auto', 'lbfgs', 'newton'] as const) {
    const m = fit(X, y, { solver });
    const dg = m.diagnostics;
    const passes = dg.evaluations.valueAndGradient + dg.evaluations.hessVec;
    fitRows.push([name, solver, dg.fitSeconds.toFixed(3), String(dg.iterations), String(passes), dg.objective.toPrecision(12),
      dg.gradNorm.toExponential(1)]);
  }
}
console.log('One fused value-and-gradient pass (forward, loss, backward), best of several:');
printTable(['problem', '1 thread ms', 'GFLOP/s', `${cores} threads ms`, 'GFLOP/s', 'GB/s of X'], passRows, 1);
console.log('\nFits (default tolerance, ‖∇J‖∞ ≤ 1e-8):');
printTable(['problem', 'solver', 'fit s', 'iters', 'passes', 'objective', '‖∇J‖∞'], fitRows);
console.log(`peak memory of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);

const py = '/usr/bin/python3';
const benchDir = join(root, 'bench');
const dataDir = join(benchDir, 'data');
const cli = join(root, 'dist', 'cli', 'main.js');

/** Runs cmd under /usr/bin/time: its standard output, wall-clock seconds and peak resident memory. */
function timed(cmd: string[]): { out: string; wall: number; peakMiB: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { out: r.stdout, wall: Number(last[0]), peakMiB: Number(last[1]) / 1024 };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The last JSON object a command printed (the CLI may print a progress line before it). */
function lastJson<T>(out: string): T {
  return JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as T;
}

/** Makes bench/data/<file> with a generator script of bench/ when it is not there yet. */
function ensureData(file: string, script: string, args: string[]): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, file);
  if (!existsSync(path)) {
    console.log(`writing ${path} (${script} ${args.join(' ')})`);
    const r = spawnSync(py, [join(benchDir, script), path, ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${script} failed`);
  }
  return path;
}

/** The optimum of the objective at C = 1 on a bench file, by bench/optima.py (cached beside the file). */
function optimum(path: string, target: string): number {
  const cache = `${path}.optimum.json`;
  if (!existsSync(cache)) {
    const r = spawnSync(py, [join(benchDir, 'optima.py'), path, target, '1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`optima.py failed: ${r.stderr}`);
    writeFileSync(cache, r.stdout);
  }
  return (JSON.parse(readFileSync(cache, 'utf8')) as { objective: number }).objective;
}

const pythonOk = () => spawnSync(py, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' }).status === 0;

if (process.argv.includes('--vs-sklearn')) {
  if (!pythonOk()) {
    console.log('--vs-sklearn: needs scikit-learn and pandas for /usr/bin/python3 (apt-get install python3-sklearn python3-pandas); skipped');
  } else {
    const sets: Array<[string, string[]]> = [
      ['bin100k.csv', ['100000', '100', '2', '1']],
      ['multi50k.csv', ['50000', '50', '10', '2']],
    ];
    const cmp: string[][] = [];
    for (const [file, args] of sets) {
      const path = ensureData(file, 'synth.py', args);
      const best = optimum(path, 'label');
      const r: Record<string, number[]> = { fit: [], skFit: [], fitRatio: [], err: [], skErr: [], cmd: [], skCmd: [], cmdRatio: [], mem: [], skMem: [], memRatio: [] };
      for (let round = 0; round < rounds; round++) {
        const ours = timed([process.execPath, cli, 'train', '--data', path, '--target', 'label', '--json', '--quiet', '--out', join(dataDir, 'model.json')]);
        const o = lastJson<{ fit_seconds: number; objective: number }>(ours.out);
        const sk = timed([py, join(benchDir, 'sk_fit.py'), path, 'label', '1', 'lbfgs', '3']);
        const s = lastJson<{ fit_seconds: number; load_seconds: number; objective: number }>(sk.out);
        const skCmd = s.load_seconds + s.fit_seconds;
        r.fit!.push(o.fit_seconds); r.skFit!.push(s.fit_seconds); r.fitRatio!.push(o.fit_seconds / s.fit_seconds);
        r.err!.push((o.objective - best) / best); r.skErr!.push((s.objective - best) / best);
        r.cmd!.push(ours.wall); r.skCmd!.push(skCmd); r.cmdRatio!.push(ours.wall / skCmd);
        r.mem!.push(ours.peakMiB); r.skMem!.push(sk.peakMiB); r.memRatio!.push(ours.peakMiB / sk.peakMiB);
      }
      const m = (k: string) => median(r[k]!);
      cmp.push([file, m('fit').toFixed(3), m('skFit').toFixed(3), m('fitRatio').toFixed(2), `${Math.max(...r.fitRatio!).toFixed(2)}`,
        Math.max(...r.err!.map(Math.abs)).toExponential(1), m('skErr').toExponential(1),
        m('cmd').toFixed(2), m('skCmd').toFixed(2), m('cmdRatio').toFixed(2), `${Math.max(...r.cmdRatio!).toFixed(2)}`,
        m('mem').toFixed(0), m('skMem').toFixed(0), m('memRatio').toFixed(2)]);
    }
    console.log(`Against scikit-learn, ${rounds} alternating rounds (medians; "worst": the largest ratio of any round):`);
    printTable(['data', 'fit s', 'sk fit s', 'ratio', 'worst', 'rel err', 'sk rel err', 'command s', 'sk load+fit s', 'ratio', 'worst', 'peak MiB', 'sk peak MiB', 'ratio'], cmp, 1);
    console.log('(rel err: (objective − optimum)/optimum, the optimum from bench/optima.py, ours the largest of any round; command s: the whole');
    console.log(' logreg train run, reading, fitting, writing the model; sk load+fit s: pandas.read_csv + fit (median of 3 fits), from sk_fit.py)\n');
  }
}

if (process.argv.includes('--airline')) {
  if (!pythonOk()) {
    console.log('--airline: needs scikit-learn and pandas for /usr/bin/python3; skipped');
  } else {
    type Train = { objective: number; iterations: number; solver_method?: string; seconds: Record<string, number> };
    const trainCmd = (path: string) => [process.execPath, cli, 'train', '--data', path, '--target', 'dep_delayed_15min', '--standardize', '--json', '--quiet',
      '--out', join(dataDir, 'air-model.json')];
    const air1m = ensureData('air1m.csv', 'airline.py', ['1000000', '1']);
    const r: Record<string, number[]> = { ours: [], sk: [], ratio: [], obj: [], skObj: [], mem: [], skMem: [], skRead: [], skIter: [] };
    for (let round = 0; round < Math.max(1, Math.min(rounds, 5)); round++) {
      const o = timed(trainCmd(air1m));
      const s = timed([py, join(benchDir, 'sk_air.py'), air1m]);
      const sj = lastJson<{ read_seconds: number; fit_seconds: number; objective: number; n_iter: number }>(s.out);
      r.ours!.push(o.wall); r.sk!.push(s.wall); r.ratio!.push(o.wall / s.wall);
      r.obj!.push(lastJson<Train>(o.out).objective); r.skObj!.push(sj.objective);
      r.mem!.push(o.peakMiB); r.skMem!.push(s.peakMiB); r.skRead!.push(sj.read_seconds); r.skIter!.push(sj.n_iter);
    }
    console.log(`Airline-like data, 1,000,000 rows (${r.ours!.length} alternating rounds, medians): the whole command of each side`);
    printTable(['', 'logreg train --standardize', 'scikit-learn (sk_air.py)', 'ratio (worst)'], [
      ['seconds', median(r.ours!).toFixed(2), median(r.sk!).toFixed(2), `${median(r.ratio!).toFixed(3)} (${Math.max(...r.ratio!).toFixed(3)})`],
      ['objective', Math.max(...r.obj!).toPrecision(13), Math.min(...r.skObj!).toPrecision(13), ''],
      ['peak MiB', median(r.mem!).toFixed(0), median(r.skMem!).toFixed(0), (median(r.mem!) / median(r.skMem!)).toFixed(2)],
    ], 1);
    console.log(`(objective: ours the highest of any round, scikit-learn's the lowest; scikit-learn read ${median(r.skRead!).toFixed(2)} s, ${median(r.skIter!)} lbfgs iterations)\n`);

    const air10m = ensureData('air10m.csv', 'airline.py', ['10000000', '1']);
    const runs: Array<{ wall: number; peakMiB: number; t: Train }> = [];
    for (let round = 0; round < Math.max(1, Math.min(rounds, 3)); round++) {
      const o = timed(trainCmd(air10m));
      runs.push({ wall: o.wall, peakMiB: o.peakMiB, t: lastJson<Train>(o.out) });
    }
    console.log(`Airline-like data, 10,000,000 rows (${runs.length} runs): logreg train --standardize`);
    printTable(['run', 'seconds', 'peak MiB', 'read', 'model matrix', 'fit', 'evaluate', 'objective'], runs.map((x, i) => [
      String(i + 1), x.wall.toFixed(2), x.peakMiB.toFixed(0), ...['read', 'model_matrix', 'fit', 'evaluate'].map((k) => (x.t.seconds[k] ?? NaN).toFixed(2)),
      x.t.objective.toPrecision(13),
    ]), 1);
    console.log(`median ${median(runs.map((x) => x.wall)).toFixed(2)} s, peak ${Math.max(...runs.map((x) => x.peakMiB)).toFixed(0)} MiB (targets: ≤ 15 s, ≤ 2048 MiB)\n`);
  }
}

if (process.argv.includes('--select')) {
  const rOk = spawnSync('Rscript', ['-e', 'library(glmnet); library(jsonlite)'], { encoding: 'utf8' }).status === 0;
  if (!rOk || !pythonOk()) {
    console.log('--select: needs R with glmnet and jsonlite (apt-get install r-base-core r-cran-glmnet r-cran-jsonlite) and scikit-learn; skipped');
  } else {
    // The cross-validations one round each (cv.glmnet alone takes minutes here), each tool right
    // after the other; the lasso paths in alternating rounds (up to 5), glmnet's first.
    const path = ensureData('bin100k.csv', 'synth.py', ['100000', '100', '2', '1']);
    const n = 100_000;
    type GlmnetOut = { path_seconds: number; n_lambda: number; lambda: number[]; cv_seconds: number | null };
    type PathOut = { seconds: number; passes: number; hessians: number; path: Array<{ nonzero: number }> };
    const pathRounds: Array<{ glmnet: number; ours: number }> = [];
    let gj: GlmnetOut | null = null;
    let ours: PathOut | null = null;
    for (let round = 0; round < Math.max(1, Math.min(rounds, 5)); round++) {
      const g = lastJson<GlmnetOut>(timed(['Rscript', join(benchDir, 'glmnet_bench.R'), path, 'path']).out);
      gj ??= g;
      const grid = g.lambda.map((l) => 1 / (l * n)).join(',');
      ours = lastJson<PathOut>(timed([process.execPath, cli, 'path', '--data', path, '--target', 'label', '--penalty', 'l1', '--C-grid', grid, '--json']).out);
      pathRounds.push({ glmnet: g.path_seconds, ours: ours.seconds });
    }
    const cvg = lastJson<GlmnetOut>(timed(['Rscript', join(benchDir, 'glmnet_bench.R'), path]).out);
    const cv = lastJson<{ seconds: number }>(timed([process.execPath, cli, 'cv', '--data', path, '--target', 'label', '--penalty', 'l1', '--Cs', '100', '--folds', '10', '--json']).out);
    const sk = lastJson<{ saga_seconds: number; saga_objective: number; saga_n_iter: number; lrcv_seconds: number }>(
      timed([py, join(benchDir, 'sk_select.py'), path, 'label', '0.03']).out);
    const l1 = lastJson<{ fit_seconds: number; objective: number }>(
      timed([process.execPath, cli, 'train', '--data', path, '--target', 'label', '--penalty', 'l1', '--C', '0.03', '--json', '--quiet']).out);
    const l2cv = lastJson<{ seconds: number }>(timed([process.execPath, cli, 'cv', '--data', path, '--target', 'label', '--penalty', 'l2', '--Cs', '10', '--folds', '5', '--json']).out);
    const ratios = pathRounds.map((r) => r.ours / r.glmnet);
    const mid = (k: 'glmnet' | 'ours') => median(pathRounds.map((r) => r[k]));
    console.log(`Model selection on bin100k (100,000 × 100), fitting time only (after reading); the lasso path in ${pathRounds.length} alternating rounds (medians), the rest one round:`);
    printTable(['task', 'logreg s', 'reference s', 'ratio', 'target'], [
      [`lasso path, glmnet's ${gj!.n_lambda} λ`, mid('ours').toFixed(2), `${mid('glmnet').toFixed(2)} (glmnet)`, `${median(ratios).toFixed(3)} (worst ${Math.max(...ratios).toFixed(3)})`, '≤ 0.2'],
      ['10-fold CV, 100 C (L1)', cv.seconds.toFixed(2), `${cvg.cv_seconds!.toFixed(2)} (cv.glmnet)`, (cv.seconds / cvg.cv_seconds!).toFixed(3), '≤ 0.1'],
      ['one L1 fit, C = 0.03', l1.fit_seconds.toFixed(2), `${sk.saga_seconds.toFixed(2)} (saga)`, (l1.fit_seconds / sk.saga_seconds).toFixed(3), ''],
      ['L2 CV, 10 C × 5 folds', l2cv.seconds.toFixed(2), `${sk.lrcv_seconds.toFixed(2)} (LogisticRegressionCV)`, (l2cv.seconds / sk.lrcv_seconds).toFixed(3), '≤ 0.2'],
    ], 1);
    console.log(`(path: ${ours!.passes} passes over the data and ${ours!.hessians} Hessians; saga's L1 objective ${sk.saga_objective.toPrecision(12)} in ${sk.saga_n_iter} epochs, ours ${l1.objective.toPrecision(12)})\n`);
  }
}

// With --inference: the cost of summary() (nonrobust and hc1) against the fit on bin100k (bench/inference.ts).
if (process.argv.includes('--inference')) await import('./inference.js');

// Part 4, with --engines: Parquet larger than kernel memory, streamed against in-memory passes,
// pushdown to DuckDB and PostgreSQL (bench/engines.ts; also `npm run bench:engines` alone).
if (process.argv.includes('--engines')) await import('./engines.js');
