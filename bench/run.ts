/**
 * The benchmark harness: `npm run bench` (add `-- --vs-sklearn` to compare with scikit-learn).
 *
 * Part 1, in process: seeded synthetic problems generated here, at several sizes; for each, the
 * fit time and passes over X of the newton and lbfgs solvers, and the speed of one fused
 * loss-and-gradient sweep (GFLOP/s counting 4·n·d·K flops: forward and backward multiply-adds;
 * bytes/s counting one read of X).
 * Part 2, with --vs-sklearn: the shared bench sets (../shared/bench/synth.py) through the built CLI
 * and through ../shared/bench/sk_fit.py, side by side in one run, with peak memory from
 * /usr/bin/time; printed as ratios.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dense } from '../dist/backend/dense.js';
import { binomialLoss } from '../dist/loss/binomial.js';
import { makeLayout } from '../dist/loss/layout.js';
import { multinomialLoss } from '../dist/loss/multinomial.js';
import { LinearModelObjective } from '../dist/loss/objective.js';
import { fit } from '../dist/index.js';
import { createRng } from '../dist/util/random.js';

const root = fileURLToPath(new URL('..', import.meta.url));

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

function sweepSpeed(X: ReturnType<typeof dense>, y: number[], K: number) {
  const Kl = K === 2 ? 1 : K;
  const obj = new LinearModelObjective({
    X, loss: Kl === 1 ? binomialLoss : multinomialLoss(Kl), layout: makeLayout(X.cols, Kl, true),
    y: Int32Array.from(y), weights: null, C: 1, threads: 1,
  });
  const x = new Float64Array(obj.dim).fill(0.01);
  const g = new Float64Array(obj.dim);
  obj.valueAndGradient(x, g);
  const reps = 5;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) obj.valueAndGradient(x, g);
  const s = (performance.now() - t0) / 1000 / reps;
  return { seconds: s, gflops: (4 * X.rows * X.cols * Kl) / s / 1e9, gbytes: (8 * X.rows * X.cols) / s / 1e9 };
}

const sizes: Array<[string, number, number, number]> = [
  ['bin 10k×100', 10_000, 100, 2],
  ['bin 100k×100', 100_000, 100, 2],
  ['bin 1M×20', 1_000_000, 20, 2],
  ['softmax 50k×50, K=10', 50_000, 50, 10],
];
const rows: string[][] = [];
for (const [name, n, d, K] of sizes) {
  const { X, y } = synth(n, d, K, 1);
  const sp = sweepSpeed(X, y, K); // one serial sweep: the per-core kernel speed
  for (const solver of ['newton', 'lbfgs'] as const) {
    const m = fit(X, y, { solver });
    const dg = m.diagnostics;
    const passes = dg.evaluations.valueAndGradient + dg.evaluations.hessVec;
    rows.push([name, solver, dg.fitSeconds.toFixed(3), String(dg.iterations), String(passes), dg.objective.toPrecision(12),
      (sp.seconds * 1000).toFixed(1), sp.gflops.toFixed(2), sp.gbytes.toFixed(2)]);
  }
}
const rss = process.resourceUsage().maxRSS / 1024;
printTable(['problem', 'solver', 'fit s', 'iters', 'passes', 'objective', '1-core sweep ms', 'GFLOP/s', 'GB/s'], rows);
console.log(`peak memory of this process: ${rss.toFixed(0)} MiB\n`);

function printTable(header: string[], body: string[][]) {
  const all = [header, ...body];
  const w = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  for (const r of all) console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(w[c]!) : cell.padStart(w[c]!))).join('  '));
}

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
      const last = r.stderr.trim().split('\n').pop()!.split(' ');
      return { out: r.stdout, wall: Number(last[0]), peakMiB: Number(last[1]) / 1024, status: r.status };
    };
    const cmp: string[][] = [];
    for (const [file, args, optimum] of sets) {
      const path = join(dataDir, file);
      if (!existsSync(path)) spawnSync(py, [join(shared, 'synth.py'), path, ...args], { stdio: 'inherit' });
      const ours = timed([process.execPath, join(root, 'dist', 'cli', 'main.js'), 'train', '--data', path, '--target', 'label', '--json', '--quiet', '--out', join(dataDir, 'model.json')]);
      const o = JSON.parse(ours.out);
      const sk = timed([py, join(shared, 'sk_fit.py'), path, 'label', '1', 'lbfgs', '3']);
      const s = JSON.parse(sk.out);
      cmp.push([file, o.fit_seconds.toFixed(3), s.fit_seconds.toFixed(3), (o.fit_seconds / s.fit_seconds).toFixed(2),
        ((o.objective - optimum) / optimum).toExponential(1), ((s.objective - optimum) / optimum).toExponential(1),
        ours.wall.toFixed(2), (s.load_seconds + s.fit_seconds).toFixed(2), (ours.wall / (s.load_seconds + s.fit_seconds)).toFixed(2),
        ours.peakMiB.toFixed(0), sk.peakMiB.toFixed(0), (ours.peakMiB / sk.peakMiB).toFixed(2)]);
    }
    printTable(['data', 'fit s', 'sk fit s', 'ratio', 'rel err', 'sk rel err', 'command s', 'sk load+fit s', 'ratio', 'peak MiB', 'sk peak MiB', 'ratio'], cmp);
    console.log('(command s: the whole logreg train run, reading, fitting, writing the model; sk load+fit: pandas.read_csv + fit, from sk_fit.py)');
  }
}
