import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classifier, type FitFunctionOptions, crossValidate, dense, fit, loadModel, readCsv } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';
import { ROOT, SITE, launchChromium, serve } from './chromium.js';
import { hex, synthBinary, uniform } from './pages/synth.js';

// The library in headless Chromium, from the built files (npm run test:browser builds first):
// dist/browser/logreg.js on a test page (test/browser/pages/harness.html) and the demo page
// (dist/demo/), each served with and without the cross-origin isolation headers. Coefficients are
// compared with Node's as the bytes of their float64 values (hex), so equal means bit for bit.

const OUT = join(ROOT, 'test-output');

/** The demo's status line says the fit is over (a page expression). */
const TRAINED = "/^trained/.test(document.getElementById('status')?.textContent ?? '')";

/** What the page's harness returns for a fit (coefficients as hex of their float64 bytes). */
interface PageFit {
  coef: string;
  intercept: string;
  iterations: number;
  objective: string;
  workerChunks: number;
}

function bits(m: Classifier) {
  return { coef: hex(m.coef.flat()), intercept: hex(m.intercept), iterations: m.diagnostics.iterations, objective: hex([m.diagnostics.objective]) };
}

/** Bundled data sets and options covering binary, softmax, categorical columns with an interaction, and L1. */
const CASES: Array<{ file: string; options: FitFunctionOptions }> = [
  { file: 'breast_cancer.csv', options: { target: 'diagnosis', standardize: true } },
  { file: 'digits.csv', options: { target: 'digit' } },
  { file: 'birthwt.csv', options: { formula: 'low ~ age + lwt + race*smoke', penalty: 'none' } },
  { file: 'iris.csv', options: { target: 'species', penalty: 'l1', C: 0.5 } },
];

let browser: Browser;
const servers: Record<'isolated' | 'plain', { url: string; close: () => Promise<void> }> = {} as never;

beforeAll(async () => {
  browser = await launchChromium();
  servers.isolated = await serve(SITE, true);
  servers.plain = await serve(SITE, false);
});

afterAll(async () => {
  await browser?.close();
  await servers.isolated?.close();
  await servers.plain?.close();
});

/** The harness page, ready (ready() resolved) with `threads` threads asked for; page errors fail the test. */
async function harness(which: 'isolated' | 'plain', threads: number): Promise<{ page: Page; runtime: { sharedMemory: boolean; threads: number } }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${servers[which].url}/test/harness.html?threads=${threads}`);
  await page.waitForFunction(() => (globalThis as { runtime?: unknown }).runtime !== undefined, null, { timeout: 30_000 });
  const runtime = await page.evaluate(() => (globalThis as unknown as { runtime: { sharedMemory: boolean; threads: number; error?: string } }).runtime);
  expect(runtime.error).toBeUndefined();
  expect(errors).toEqual([]);
  return { page, runtime };
}

function pageFit(page: Page, file: string, options: FitFunctionOptions, mode: 'sync' | 'async'): Promise<PageFit> {
  return page.evaluate(
    ([f, o, m]) => (globalThis as unknown as { harness: { fitBundled(f: string, o: unknown, m: string): Promise<PageFit> } }).harness.fitBundled(f, o, m),
    [file, options, mode] as const,
  );
}

describe('the same coefficients as Node, bit for bit', () => {
  const node = CASES.map(({ file, options }) => {
    const table = readCsv(join(ROOT, 'datasets', file));
    const one = bits(fit(table, { ...options, threads: 1 }));
    const two = bits(fit(table, { ...options, threads: 2 }));
    return { one, two };
  });

  it('in Node on 1 and 2 threads (the reference)', () => {
    for (const { one, two } of node) expect(two).toEqual(one);
  });

  it('on one thread in a page that is not cross-origin isolated (fit and fitAsync)', async () => {
    const { page, runtime } = await harness('plain', 2);
    expect(runtime).toMatchObject({ sharedMemory: false, threads: 1 });
    // Files are Node's: a browser gets one line saying what to use; a bad fit fails as in Node, also through fitAsync.
    const bad = { target: 'no_such_column' };
    let nodeError: unknown = null;
    try {
      fit(readCsv(join(ROOT, 'datasets', 'iris.csv')), bad);
    } catch (e) {
      nodeError = { name: (e as Error).name, message: (e as Error).message.replace(join(ROOT, 'datasets', 'iris.csv'), 'iris.csv') };
    }
    const instead = 'in a browser, read the bytes (a File\'s arrayBuffer(), fetch) and use readCsvSource(bytesSource(name, bytes))';
    expect(await page.evaluate(([f, o]) => (globalThis as unknown as { harness: { failures(f: string, o: unknown): Promise<unknown> } }).harness.failures(f, o), ['iris.csv', bad] as const)).toEqual({
      readCsv: { name: 'Error', message: `reading the file iris.csv needs Node.js (node:fs); ${instead}` },
      loadBundled: { name: 'Error', message: "reading a bundled data set's file needs Node.js (node:path); in a browser, fetch the CSV file (the package's datasets/ folder) and use readCsvSource(bytesSource(name, bytes))" },
      fit: nodeError,
      fitAsync: nodeError,
    });
    expect(nodeError).not.toBeNull();
    for (const [i, { file, options }] of CASES.entries()) {
      for (const mode of ['sync', 'async'] as const) {
        const got = await pageFit(page, file, { ...options, threads: 2 }, mode);
        expect({ file, mode, ...got, workerChunks: 0 }).toEqual({ file, mode, ...node[i]!.one, workerChunks: 0 });
        expect(got.workerChunks).toBe(0);
      }
    }
    await page.close();
  });

  it('on 2 threads in a cross-origin-isolated page (fit on the page with a worker; fitAsync in its worker with one of its own)', async () => {
    const { page, runtime } = await harness('isolated', 2);
    expect(runtime).toMatchObject({ sharedMemory: true, threads: 2 });
    let workerChunks = 0;
    for (const [i, { file, options }] of CASES.entries()) {
      for (const mode of ['sync', 'async'] as const) {
        const got = await pageFit(page, file, { ...options, threads: 2 }, mode);
        expect({ file, mode, ...got, workerChunks: 0 }).toEqual({ file, mode, ...node[i]!.one, workerChunks: 0 });
        if (mode === 'sync') workerChunks += got.workerChunks;
      }
    }
    // The page's worker thread took part in the passes (fitAsync's worker keeps its own count).
    expect(workerChunks).toBeGreaterThan(0);
    await page.close();
  });
});

describe('cross-validation in a page', () => {
  // The folds run one after the other in a browser (a page cannot wait for a worker), each pass on
  // the page's kernel workers when it is cross-origin isolated; the numbers are Node's to rounding.
  // Not to the bit: the grid of C (log-spaced) and the log-loss scores use Math.exp and Math.log,
  // which this Chromium's V8 and Node's round differently in the last bit (for 485 of 9995 test
  // values of exp, log, log1p, pow and expm1, measured 2026-11-28), where a fit at a given C uses
  // the kernels' own exp and log1p and matches Node bit for bit (above).
  const options = { target: 'diagnosis', standardize: true, penalty: 'l1', Cs: 5, folds: 4, threads: 2 } as const;
  const cv = crossValidate(readCsv(join(ROOT, 'datasets', 'breast_cancer.csv')), options);
  const close = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= 1e-12 * Math.max(1, Math.abs(v)));
  for (const which of ['plain', 'isolated'] as const) {
    it(`the folds on this thread, Node's numbers (${which === 'plain' ? 'a page that is not cross-origin isolated: no SharedArrayBuffer' : 'a cross-origin-isolated page'})`, async () => {
      const { page } = await harness(which, 2);
      const got = await page.evaluate(
        ([f, o]) => (globalThis as unknown as { harness: { crossValidateBundled(f: string, o: unknown): Promise<{ means: number[]; CMin: number; coef: number[]; foldThreads: number }> } }).harness.crossValidateBundled(f, o),
        ['breast_cancer.csv', options] as const,
      );
      expect(got.foldThreads).toBe(1);
      expect(Math.abs(got.CMin - cv.CMin)).toBeLessThanOrEqual(1e-12 * cv.CMin);
      expect(close(got.means, cv.best.points.map((p) => p.mean))).toBe(true);
      expect(close(got.coef, Array.from(cv.model!.coef.flat()))).toBe(true);
      await page.close();
    });
  }
});

describe('the demo page', () => {
  it('reads an uploaded CSV, trains, draws the charts, and gives the model and predictions Node gives', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${servers.isolated.url}/demo/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.textContent('#runtime')).toContain('threads');

    const csv = join(ROOT, 'datasets', 'birthwt.csv');
    await page.setInputFiles('#file', csv);
    await page.waitForSelector('#target:not([disabled])');
    await page.selectOption('#target', 'low');
    await page.selectOption('#penalty', 'l2');
    await page.fill('#C', '0.5');
    await page.check('#standardize');
    await page.click('#train');
    await page.waitForFunction(TRAINED, null, { timeout: 60_000 });

    // Three charts drawn as SVG with marks in them, and one coefficient row per model column.
    for (const id of ['loss-chart', 'roc-chart', 'calibration-chart']) {
      expect(await page.locator(`#${id} svg`).count()).toBe(1);
      expect(await page.locator(`#${id} svg path`).count()).toBeGreaterThan(3);
    }
    const expected = fit(readCsv(csv), { target: 'low', penalty: 'l2', C: 0.5, standardize: true, threads: 1 });
    expect(await page.locator('#coef tr').count()).toBe(1 + 1 + expected.featureNames!.length);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'demo.png'), fullPage: true });

    // The model file: Node's coefficients, bit for bit.
    const [modelFile] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    const model = loadModel(readFileSync((await modelFile.path())!, 'utf8'));
    expect(bits(model)).toEqual(bits(expected));

    // Predictions for a second file: Node's labels and probabilities (printed shortest, so read back exactly).
    await page.setInputFiles('#predict-file', csv);
    await page.waitForSelector('#download-predictions:not([hidden])');
    const [predictions] = await Promise.all([page.waitForEvent('download'), page.click('#download-predictions')]);
    const lines = readFileSync((await predictions.path())!, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(['predicted', ...expected.classes.map((c) => `p_${String(c)}`)].join(','));
    const table = readCsv(csv);
    const labels = expected.predict(table);
    const P = expected.predictProba(table);
    expect(lines.slice(1)).toEqual(labels.map((l, i) => [l, ...P[i]!].join(',')));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains on one thread when the page is not cross-origin isolated', async () => {
    const page = await browser.newPage();
    await page.goto(`${servers.plain.url}/demo/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.textContent('#runtime')).toContain('one thread');
    await page.selectOption('#dataset', 'iris');
    await page.waitForSelector('#train:not([disabled])');
    await page.click('#train');
    await page.waitForFunction(TRAINED, null, { timeout: 60_000 });
    expect(await page.locator('#roc-chart svg').count()).toBe(1);
    await page.close();
  });
});

describe('speed: bin100k (100,000 × 100) on 2 threads, Chromium against Node in the same run', () => {
  const n = 100_000;
  const d = 100;

  it('generates the problem in the page with the random stream of src/util/random.ts', () => {
    const rng = createRng(1);
    const next = uniform(1);
    for (let i = 0; i < 1000; i++) expect(next()).toBe(rng.next());
  });

  it('fits it to the same coefficients; prints the time ratios', async () => {
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const { X, y } = synthBinary(n, d, 1);
    const checksum = hex([X.reduce((s, v) => s + v, 0), y.reduce((s, v) => s + v, 0)]);
    const { page, runtime } = await harness('isolated', 2);
    expect(runtime.threads).toBe(2);
    expect(await page.evaluate(([a, b]) => (globalThis as unknown as { harness: { makeSynth(n: number, d: number, s: number): string } }).harness.makeSynth(a, b, 1), [n, d] as const)).toBe(checksum);
    const inPage = (mode: 'sync' | 'async') => page.evaluate(
      ([a, b, m]) => (globalThis as unknown as { harness: { fitSynth(...x: unknown[]): Promise<PageFit & { times: Array<{ wall: number; fit: number }> }> } })
        .harness.fitSynth(a, b, 2, m, 1),
      [n, d, mode] as const,
    );
    const inNode = () => {
      const t0 = performance.now();
      const m = fit(dense(X, n, d), y, { threads: 2 });
      return { model: m, times: [{ wall: (performance.now() - t0) / 1000, fit: m.diagnostics.fitSeconds }] };
    };
    // Rounds of one fit each way, alternating, so that all three see the same load of the machine;
    // the first round warms up (workers, compilation) and is left out.
    const rounds = 5;
    const times: Record<'node' | 'sync' | 'async', Array<{ wall: number; fit: number }>> = { node: [], sync: [], async: [] };
    for (let r = 0; r < rounds; r++) {
      const node = inNode();
      const sync = await inPage('sync');
      const async = await inPage('async');
      for (const got of [sync, async]) expect(bits2(got)).toEqual(bits(node.model));
      if (r === 0) continue;
      times.node.push(node.times[0]!);
      times.sync.push(sync.times[0]!);
      times.async.push(async.times[0]!);
    }
    await page.close();
    const med = (k: keyof typeof times, f: 'wall' | 'fit') => median(times[k].map((t) => t[f]));
    const row = (label: string, k: keyof typeof times) =>
      `  ${label.padEnd(24)} ${med(k, 'wall').toFixed(3)} s (optimizer ${med(k, 'fit').toFixed(3)} s)` +
      (k === 'node' ? '' : `  ratio to Node ${(med(k, 'wall') / med('node', 'wall')).toFixed(2)} (optimizer ${(med(k, 'fit') / med('node', 'fit')).toFixed(2)})`);
    const lines = [
      `bin100k (${n}×${d}), 2 threads: median of ${rounds - 1} alternating rounds after a warm-up`,
      row('Node', 'node'),
      row('Chromium, fit on page', 'sync'),
      row('Chromium, fitAsync', 'async'),
    ];
    console.log(lines.join('\n'));
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'browser-speed.txt'), `${lines.join('\n')}\n`);
  });
});

function bits2(r: PageFit) {
  return { coef: r.coef, intercept: r.intercept, iterations: r.iterations, objective: r.objective };
}
