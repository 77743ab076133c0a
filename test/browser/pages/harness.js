// The browser test's page script: the library's browser bundle (dist/browser/logreg.js, served at
// /browser/) and functions the test calls with page.evaluate. ?threads=N is what ready() starts.
import * as logreg from '/browser/logreg.js';
import { hex, synthBinary } from './synth.js';

async function table(file) {
  const response = await fetch(`/datasets/${file}`);
  if (!response.ok) throw new Error(`/datasets/${file}: HTTP ${response.status}`);
  return logreg.readCsvSource(logreg.bytesSource(file, new Uint8Array(await response.arrayBuffer())));
}

function result(m) {
  return { coef: hex(m.coef.flat()), intercept: hex(m.intercept), iterations: m.diagnostics.iterations, objective: hex([m.diagnostics.objective]) };
}

let synth = null;

/** The name and message of what `f` throws or rejects with (null when it succeeds). */
async function failure(f) {
  try {
    await f();
    return null;
  } catch (e) {
    return { name: e.name, message: e.message };
  }
}

window.harness = {
  /** A bundled data set fitted here: 'sync' (fit on this thread) or 'async' (fitAsync, in its worker). */
  async fitBundled(file, options, mode) {
    const t = await table(file);
    const before = logreg.runtimeInfo().workerChunks;
    const m = mode === 'async' ? await logreg.fitAsync(t, options) : logreg.fit(t, options);
    return { ...result(m), workerChunks: logreg.runtimeInfo().workerChunks - before };
  },
  /** A cross-validation of a bundled data set here: the means, C_min, the refit's coefficients, the fold threads. */
  async crossValidateBundled(file, options) {
    const cv = logreg.crossValidate(await table(file), options);
    return { means: cv.best.points.map((p) => p.mean), CMin: cv.CMin, coef: Array.from(cv.model.coef.flat()), foldThreads: cv.foldThreads };
  },
  /** What the Node-only paths and a bad fit say in a browser, synchronously and through fitAsync. */
  async failures(file, options) {
    const t = await table(file);
    return {
      readCsv: await failure(() => logreg.readCsv('iris.csv')),
      loadBundled: await failure(() => logreg.loadBundled('iris')),
      fit: await failure(() => logreg.fit(t, options)),
      fitAsync: await failure(() => logreg.fitAsync(t, options)),
    };
  },
  /** The benchmark's n×d binary problem, generated here; the checksum of its values. */
  makeSynth(n, d, seed) {
    synth = synthBinary(n, d, seed);
    return hex([synth.X.reduce((s, v) => s + v, 0), synth.y.reduce((s, v) => s + v, 0)]);
  },
  /** Fits the synthetic problem `reps` times: the coefficients and each fit's wall time and fitSeconds. */
  async fitSynth(n, d, threads, mode, reps) {
    const X = logreg.dense(synth.X, n, d);
    const times = [];
    let m = null;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      m = mode === 'async' ? await logreg.fitAsync(X, synth.y, { threads }) : logreg.fit(X, synth.y, { threads });
      times.push({ wall: (performance.now() - t0) / 1000, fit: m.diagnostics.fitSeconds });
    }
    return { ...result(m), times };
  },
};
const threads = Number(new URLSearchParams(location.search).get('threads') ?? '1');
logreg.ready({ threads }).then((info) => { window.runtime = info; }, (e) => { window.runtime = { error: e.message }; });
