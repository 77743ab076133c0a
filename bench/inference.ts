/**
 * The cost of inference against the fit (`npm run bench -- --inference`, or alone:
 * `node --loader ts-node/esm --no-warnings bench/inference.ts [file.csv] [rounds] [l2|none] [threads]`).
 * The target of the inference issue: `--summary` adds at most 0.5× the fit time on 100,000 × 100.
 *
 * Each round fits bench/data/bin100k.csv (written by bench/synth.py when absent; C = 1 as the
 * README's speed figures, or `none` for an unpenalized fit) and times summary() with covType
 * nonrobust and hc1 on the kept training rows, in alternating order, in one process; it prints
 * per-round seconds and the medians of summary / fit (fit = the optimizer's fitSeconds, as
 * `fit_seconds` in the JSON report). `threads` (default auto) applies to the fit and the summary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogisticRegression, readCsv, warmUp } from '../dist/index.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const own = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
const args = own ? process.argv.slice(2) : [];
const roundsArg = process.argv.indexOf('--rounds');
const [fileArg, roundsRaw, penaltyRaw, threadsRaw] = args;

function defaultData(): string {
  const dir = join(benchDir, 'data');
  const path = join(dir, 'bin100k.csv');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    console.log(`writing ${path} (synth.py 100000 100 2 1)`);
    const r = spawnSync('/usr/bin/python3', [join(benchDir, 'synth.py'), path, '100000', '100', '2', '1'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('synth.py failed');
  }
  return path;
}

const file = fileArg ?? defaultData();
const rounds = Number(roundsRaw ?? (roundsArg >= 0 ? process.argv[roundsArg + 1] : 5));
const penalty = penaltyRaw === 'none' ? 'none' : 'l2';
const threads = threadsRaw === undefined || threadsRaw === 'auto' ? 'auto' : Number(threadsRaw);
warmUp();
const table = readCsv(file);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const ratios: Record<'nonrobust' | 'hc1', number[]> = { nonrobust: [], hc1: [] };
console.log(`Inference cost on ${file} (${table.n} rows), penalty ${penalty}, threads ${threads}:`);
for (let r = 0; r < rounds; r++) {
  const model = new LogisticRegression({ penalty, threads }).fit(table, null, { target: 'label' });
  const fit = model.diagnostics.fitSeconds;
  const order = r % 2 === 0 ? (['nonrobust', 'hc1'] as const) : (['hc1', 'nonrobust'] as const);
  const took: Record<string, number> = {};
  for (const covType of order) {
    const t0 = performance.now();
    model.summary({ covType });
    took[covType] = (performance.now() - t0) / 1000;
    ratios[covType].push(took[covType]! / fit);
  }
  console.log(`  round ${r + 1}: fit ${fit.toFixed(3)} s (${model.diagnostics.method}, ${model.diagnostics.iterations} iterations); summary nonrobust ${took.nonrobust!.toFixed(3)} s, hc1 ${took.hc1!.toFixed(3)} s`);
}
console.log(`median summary / fit: nonrobust ${median(ratios.nonrobust).toFixed(3)}, hc1 ${median(ratios.hc1).toFixed(3)} (${rounds} rounds; target ≤ 0.5)\n`);
