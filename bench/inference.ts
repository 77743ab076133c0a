/**
 * The cost of `summary()` against the fit, in one process (not a vitest test; the cost
 * target is that --summary adds at most 0.5× the fit time on 100,000 × 100):
 *
 *     /usr/bin/python3 bench/synth.py /tmp/bin100k.csv 100000 100 2 0
 *     npx tsc -p tsconfig.build.json
 *     node --loader ts-node/esm --no-warnings test/inference/summaryCost.ts /tmp/bin100k.csv [rounds] [l2|none] [threads]
 *
 * Each round fits the CSV (C = 1 by default, as the README's speed figures; `none` for an
 * unpenalized fit) and times summary() with covType nonrobust and hc1 on the kept training rows,
 * in alternating order; it prints per-round seconds and the medians of summary / fit
 * (fit = the optimizer's fitSeconds, as `fit_seconds` in the JSON report). `threads` (default
 * auto) applies to the fit and the summary alike.
 */
import { LogisticRegression, readCsv, warmUp } from '../../dist/index.js';

const [file, roundsRaw, penaltyRaw, threadsRaw] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: summaryCost.ts data.csv [rounds] [l2|none] [threads]');
const rounds = Number(roundsRaw ?? 3);
const penalty = penaltyRaw === 'none' ? 'none' : 'l2';
const threads = threadsRaw === undefined || threadsRaw === 'auto' ? 'auto' : Number(threadsRaw);
warmUp();
const table = readCsv(file);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const ratios: Record<'nonrobust' | 'hc1', number[]> = { nonrobust: [], hc1: [] };
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
  console.log(`round ${r + 1}: fit ${fit.toFixed(3)} s (${model.diagnostics.method}, ${model.diagnostics.iterations} iterations); summary nonrobust ${took.nonrobust!.toFixed(3)} s, hc1 ${took.hc1!.toFixed(3)} s`);
}
console.log(`median summary / fit: nonrobust ${median(ratios.nonrobust).toFixed(3)}, hc1 ${median(ratios.hc1).toFixed(3)} (${rounds} rounds, penalty ${penalty}, threads ${threads})`);
process.exit(0);
