/**
 * The demo page: a CSV (dropped, chosen, or a bundled data set fetched from ./datasets/) read with
 * readCsvSource, a model fitted with fitAsync (in a Web Worker, on several threads when the page
 * is cross-origin isolated), and what it gives: the coefficient table, the loss curve (the fit's
 * diagnostics.history), ROC and calibration charts of the training data (the library's vega-lite
 * specifications, drawn by vega), the model as JSON, and predictions for a second CSV.
 *
 * Built by scripts/build.mjs (demo step) into dist/demo/demo.js with vega and vega-lite; 'logreg'
 * stays the library's own bundle, ../browser/logreg.js.
 */
import {
  type Classifier, type Table, type Label, bundledDatasets, bytesSource, calibrationChart, calibrationCurve, evaluateModel, fitAsync,
  lineChart, readCsvSource, ready, rocAuc, rocChart, rocCurve, type ChartSpec, type Penalty,
} from 'logreg';
import { View, parse } from 'vega';
import { type TopLevelSpec, compile } from 'vega-lite';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const els = {
  runtime: $<HTMLSpanElement>('runtime'),
  dataset: $<HTMLSelectElement>('dataset'),
  drop: $<HTMLDivElement>('drop'),
  file: $<HTMLInputElement>('file'),
  dataInfo: $<HTMLParagraphElement>('data-info'),
  target: $<HTMLSelectElement>('target'),
  penalty: $<HTMLSelectElement>('penalty'),
  C: $<HTMLInputElement>('C'),
  standardize: $<HTMLInputElement>('standardize'),
  train: $<HTMLButtonElement>('train'),
  status: $<HTMLParagraphElement>('status'),
  results: $<HTMLElement>('results'),
  summary: $<HTMLParagraphElement>('summary'),
  downloadModel: $<HTMLButtonElement>('download-model'),
  predictFile: $<HTMLInputElement>('predict-file'),
  downloadPredictions: $<HTMLAnchorElement>('download-predictions'),
  predictInfo: $<HTMLSpanElement>('predict-info'),
  coef: $<HTMLTableElement>('coef'),
};

let table: Table | null = null;
let model: Classifier | null = null;

function status(text: string, error = false): void {
  els.status.textContent = text;
  els.status.className = error ? 'error' : 'muted';
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A file's name and bytes as a table (the library's CSV reader: typed columns, one-line errors). */
function tableOf(name: string, bytes: ArrayBuffer): Table {
  return readCsvSource(bytesSource(name, new Uint8Array(bytes)));
}

function useTable(t: Table, target: string | null): void {
  table = t;
  model = null;
  els.results.hidden = true;
  const names = t.columns.map((c) => c.name);
  els.target.replaceChildren(...names.map((n) => new Option(n, n)));
  els.target.value = target !== null && names.includes(target) ? target : names[names.length - 1]!;
  els.target.disabled = false;
  els.train.disabled = false;
  els.dataInfo.textContent = `${t.source}: ${t.n} rows, ${names.length} columns (${t.columns.filter((c) => c.kind === 'categorical').length} categorical)`;
  status('ready to train');
}

async function loadBundled(name: string): Promise<void> {
  const b = bundledDatasets().find((d) => d.name === name);
  if (b === undefined) return;
  status(`loading ${b.file}…`);
  const response = await fetch(`./datasets/${b.file}`);
  if (!response.ok) throw new Error(`./datasets/${b.file}: HTTP ${response.status}`);
  useTable(tableOf(b.file, await response.arrayBuffer()), b.target);
}

async function loadFile(file: File): Promise<void> {
  els.dataset.value = '';
  status(`reading ${file.name}…`);
  useTable(tableOf(file.name, await file.arrayBuffer()), null);
}

/** Draws a vega-lite specification into a container, as SVG. */
async function draw(container: HTMLElement, spec: ChartSpec): Promise<void> {
  const view = new View(parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'svg', container, hover: true });
  await view.runAsync();
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

function showCoefficients(m: Classifier): void {
  const names = m.featureNames ?? m.coef[0]!.map((_, j) => `x${j}`);
  const heads = m.coef.length === 1 ? [String(m.classes[1])] : m.classes.map(String);
  const head = document.createElement('tr');
  head.append(...['', ...heads].map((h) => Object.assign(document.createElement('th'), { textContent: h })));
  const row = (label: string, values: number[]) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { textContent: label }));
    for (const v of values) tr.append(Object.assign(document.createElement('td'), { textContent: formatNumber(v) }));
    return tr;
  };
  const rows = [];
  if (m.fitIntercept) rows.push(row('intercept', m.intercept));
  names.forEach((n, j) => rows.push(row(n, m.coef.map((c) => c[j]!))));
  els.coef.replaceChildren(head, ...rows);
}

/** The loss curve, and ROC and calibration of the training data for the positive (binary) or last class. */
async function showCharts(m: Classifier, t: Table): Promise<void> {
  const history = m.diagnostics.history;
  await draw($('loss-chart'), lineChart([{ name: 'objective J', x: history.map((_, i) => i), y: history }], {
    title: 'Loss by iteration', xTitle: 'iteration', yTitle: 'J (penalized mean log loss)', logY: history.every((v) => v > 0), points: true,
  }));
  const ev = evaluateModel(m, t);
  const K = m.classes.length;
  const k = K - 1;
  const positive: Label = m.classes[k]!;
  const y = ev.labels.map((l) => (l === positive ? 1 : 0));
  const p = Array.from({ length: ev.n }, (_, i) => ev.probabilityMatrix[i * K + k]!);
  const roc = rocCurve(y, p);
  const what = K === 2 ? `${String(positive)}` : `${String(positive)} vs the rest`;
  await draw($('roc-chart'), rocChart(roc.fpr, roc.tpr, rocAuc(y, p), `ROC (training data): ${what}`));
  await draw($('calibration-chart'), calibrationChart(calibrationCurve(y, p, 10), `Calibration (training data): ${what}`));
  els.summary.textContent = `${m.coef.length === 1 ? 'Binary logistic' : 'Softmax'} regression on ${ev.n} rows: ` +
    `${m.diagnostics.converged ? 'converged' : 'did not converge'} after ${m.diagnostics.iterations} iterations ` +
    `(${m.diagnostics.method}, ${(m.diagnostics.fitSeconds * 1000).toFixed(1)} ms), training accuracy ${ev.accuracy.toFixed(4)}, log loss ${ev.logLoss.toFixed(4)}.`;
}

async function train(): Promise<void> {
  if (table === null) return;
  const C = Number(els.C.value);
  const penalty = els.penalty.value as Penalty;
  els.train.disabled = true;
  status('training…');
  const t0 = performance.now();
  try {
    model = await fitAsync(table, {
      target: els.target.value, penalty, C: penalty === 'none' ? 1 : C, standardize: els.standardize.checked,
      onIteration: (info) => status(`training… iteration ${info.iteration}, J = ${info.value.toPrecision(8)}`),
    });
    showCoefficients(model);
    els.results.hidden = false;
    els.downloadPredictions.hidden = true;
    els.predictInfo.textContent = '';
    await showCharts(model, table);
    status(`trained in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  } catch (e) {
    status(message(e), true);
  } finally {
    els.train.disabled = false;
  }
}

/** A blob: URL of text, for a download link. */
function blobUrl(text: string, type: string): string {
  return URL.createObjectURL(new Blob([text], { type }));
}

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function predictFile(file: File): Promise<void> {
  if (model === null) return;
  try {
    const t = tableOf(file.name, await file.arrayBuffer());
    const labels = model.predict(t);
    const P = model.predictProba(t);
    const header = ['predicted', ...model.classes.map((c) => `p_${String(c)}`)];
    const lines = [header.map(csvCell).join(',')];
    labels.forEach((l, i) => lines.push([l, ...P[i]!].map(csvCell).join(',')));
    const a = els.downloadPredictions;
    if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
    a.href = blobUrl(`${lines.join('\n')}\n`, 'text/csv');
    a.download = `${file.name.replace(/\.[^.]*$/, '')}-predictions.csv`;
    a.hidden = false;
    els.predictInfo.textContent = `${labels.length} rows predicted`;
  } catch (e) {
    els.predictInfo.textContent = message(e);
    els.predictInfo.className = 'error';
  }
}

async function main(): Promise<void> {
  for (const b of bundledDatasets()) els.dataset.append(new Option(`${b.name}: ${b.description}`, b.name));
  const info = await ready();
  els.runtime.textContent = info.sharedMemory
    ? `Cross-origin isolated: fits use up to ${info.threads} threads.`
    : 'Not cross-origin isolated: fits run on one thread.';
  els.dataset.addEventListener('change', () => loadBundled(els.dataset.value).catch((e) => status(message(e), true)));
  els.file.addEventListener('change', () => {
    const f = els.file.files?.[0];
    if (f !== undefined) loadFile(f).catch((e) => status(message(e), true));
  });
  els.drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    els.drop.classList.add('over');
  });
  els.drop.addEventListener('dragleave', () => els.drop.classList.remove('over'));
  els.drop.addEventListener('drop', (e) => {
    e.preventDefault();
    els.drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) loadFile(f).catch((err) => status(message(err), true));
  });
  els.penalty.addEventListener('change', () => {
    els.C.disabled = els.penalty.value === 'none';
  });
  els.train.addEventListener('click', () => void train());
  els.downloadModel.addEventListener('click', () => {
    if (model === null) return;
    const a = document.createElement('a');
    a.href = blobUrl(JSON.stringify(model, null, 1), 'application/json');
    a.download = 'model.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  els.predictFile.addEventListener('change', () => {
    const f = els.predictFile.files?.[0];
    if (f !== undefined) void predictFile(f);
  });
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  els.runtime.textContent = message(e);
  els.runtime.className = 'error';
});
