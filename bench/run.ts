/**
 * The benchmark harness: `npm run bench` (add `-- --vs-sklearn` to compare with scikit-learn,
 * `--rounds N` for the number of alternating rounds, default 5).
 *
 * Part 1, in process: seeded synthetic problems generated here, at several sizes up to 1,000,000
 * rows; for each, the time of one fused value-and-gradient pass on one thread and on every core
 * (GFLOP/s counting 4·n·d·K flops: the forward and backward multiply-adds; bytes/s counting one
 * read of X), and the fit time and passes over X of the auto, lbfgs and newton solvers.
 * Part 2, with --vs-sklearn: the shared bench sets (../shared/bench/synth.py) through the built CLI
 * (`logreg train --data <file> --target label --json`) and through ../shared/bench/sk_fit.py,
 * alternating one run of each per round so that both see the same machine load; peak memory from
 * /usr/bin/time. Every ratio is logreg / scikit-learn within a round; the table shows the median
 * over the rounds of each figure and of each ratio.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

if (process.argv.includes('--vs-sklearn')) {
  const py = '/usr/bin/python3';
  const shared = join(root, '..', 'shared', 'bench');
  const ok = existsSync(join(shared, 'sk_fit.py')) && spawnSync(py, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' }).status === 0;
  if (!ok) {
    console.log('--vs-sklearn: needs ../shared/bench and scikit-learn for /usr/bin/python3 (apt-get install python3-sklearn); skipped');
  } else {
    const dataDir = join(root, 'bench', 'data');
    mkdirSync(dataDir, { recursive: true });
    const sets: Array<[string, string[], number]> = [
      ['bin100k.csv', ['100000', '100', '2', '1'], 0.470976589398183],
      ['multi50k.csv', ['50000', '50', '10', '2'], 1.89181888685966],
    ];
    const timed = (cmd: string[]) => {
      const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
      const last = r.stderr.trim().split('\n').pop()!.split(' ');
      return { out: r.stdout, wall: Number(last[0]), peakMiB: Number(last[1]) / 1024 };
    };
    const median = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const cmp: string[][] = [];
    for (const [file, args, optimum] of sets) {
      const path = join(dataDir, file);
      if (!existsSync(path)) spawnSync(py, [join(shared, 'synth.py'), path, ...args], { stdio: 'inherit' });
      const r: Record<string, number[]> = { fit: [], skFit: [], fitRatio: [], err: [], skErr: [], cmd: [], skCmd: [], cmdRatio: [], mem: [], skMem: [], memRatio: [] };
      for (let round = 0; round < rounds; round++) {
        const ours = timed([process.execPath, join(root, 'dist', 'cli', 'main.js'), 'train', '--data', path, '--target', 'label', '--json', '--quiet', '--out', join(dataDir, 'model.json')]);
        const o = JSON.parse(ours.out) as { fit_seconds: number; objective: number };
        const sk = timed([py, join(shared, 'sk_fit.py'), path, 'label', '1', 'lbfgs', '3']);
        const s = JSON.parse(sk.out) as { fit_seconds: number; load_seconds: number; objective: number };
        const skCmd = s.load_seconds + s.fit_seconds;
        r.fit!.push(o.fit_seconds); r.skFit!.push(s.fit_seconds); r.fitRatio!.push(o.fit_seconds / s.fit_seconds);
        r.err!.push((o.objective - optimum) / optimum); r.skErr!.push((s.objective - optimum) / optimum);
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
    console.log('(rel err: (objective − optimum)/optimum against ../shared/bench/README.md, ours the largest of any round; command s: the whole');
    console.log(' logreg train run, reading, fitting, writing the model; sk load+fit s: pandas.read_csv + fit (median of 3 fits), from sk_fit.py)');
  }
}
