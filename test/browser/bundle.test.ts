import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fit, readCsv } from '../../src/index.js';
import { runtimeImports } from '../metrics/runtimeImports.js';
import { ROOT, launchChromium, serve } from './chromium.js';
import { hex } from './pages/synth.js';

// What a consumer's bundler does with the package: esbuild bundles a script that imports 'logreg'
// (the package as installed: node_modules/logreg → this repository, resolved through package.json
// "exports" to dist/index.js) for platform=browser with no shims, aliases or plugins, and the
// bundle runs in Chromium. Its size is printed (and written to test-output/bundle-size.txt).

const APP = `
import { bytesSource, fit, readCsvSource, ready, setKernelSource } from 'logreg';
// esbuild does not copy assets: kernels.wasm is copied beside the bundle, and named here.
setKernelSource(new URL('./kernels.wasm', import.meta.url));
const info = await ready();
const bytes = new Uint8Array(await (await fetch('./iris.csv')).arrayBuffer());
const m = fit(readCsvSource(bytesSource('iris.csv', bytes)), { target: 'species', standardize: true });
globalThis.result = { coef: m.coef.flat(), intercept: m.intercept, info };
`;

let dir: string;
let built: esbuild.BuildResult<{ metafile: true; write: true }>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logreg-bundle-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'logreg'), 'dir');
  writeFileSync(join(dir, 'app.js'), APP);
  built = await esbuild.build({
    entryPoints: [join(dir, 'app.js')], absWorkingDir: dir, outdir: join(dir, 'out'),
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, metafile: true, logLevel: 'silent',
  });
});

afterAll(() => {
  // The link to the repository is removed, not followed.
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

it('the core loads no Node module at run time (only protobufjs, for ONNX export)', () => {
  const { external } = runtimeImports('src/index.ts');
  expect(external).toEqual(["src/export/onnxSchema.ts: import protobuf from 'protobufjs/light.js'"]);
});

it('bundles for platform=browser with no errors, no warnings and no Node built-in', () => {
  expect(built.errors).toEqual([]);
  expect(built.warnings).toEqual([]);
  const inputs = Object.keys(built.metafile.inputs);
  // Through the package's entry (esbuild names files by their real path, the repository's).
  expect(inputs.some((f) => f.endsWith('dist/index.js'))).toBe(true);
  expect(inputs.filter((f) => /^node:|^(fs|path|url|os|module|worker_threads|v8|vm)$/.test(f))).toEqual([]);
  // Nothing left for the runtime to import: everything is in the bundle.
  expect(Object.values(built.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.external)).toEqual([]);
  const js = readFileSync(join(dir, 'out', 'app.js'), 'utf8');
  const size = Buffer.byteLength(js);
  const gzip = gzipSync(js, { level: 9 }).length;
  const line = `esbuild bundle of a script importing 'logreg' (platform=browser, minified): ${(size / 1024).toFixed(0)} KiB, ${(gzip / 1024).toFixed(0)} KiB gzipped, plus kernels.wasm ${(readFileSync(join(ROOT, 'dist', 'kernels.wasm')).length / 1024).toFixed(0)} KiB`;
  console.log(line);
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output', 'bundle-size.txt'), `${line}\n`);
});

it('runs in Chromium: the coefficients Node gives, bit for bit', async () => {
  copyFileSync(join(ROOT, 'dist', 'kernels.wasm'), join(dir, 'out', 'kernels.wasm'));
  copyFileSync(join(ROOT, 'datasets', 'iris.csv'), join(dir, 'out', 'iris.csv'));
  writeFileSync(join(dir, 'out', 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./app.js"></script>');
  const server = await serve({ '/': join(dir, 'out') }, false);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForFunction('globalThis.result !== undefined || false', null, { timeout: 30_000 });
    const got = await page.evaluate(() => (globalThis as unknown as { result: { coef: number[]; intercept: number[] } }).result);
    expect(errors).toEqual([]);
    const m = fit(readCsv(join(ROOT, 'datasets', 'iris.csv')), { target: 'species', standardize: true });
    expect({ coef: hex(got.coef), intercept: hex(got.intercept) }).toEqual({ coef: hex(m.coef.flat()), intercept: hex(m.intercept) });
  } finally {
    await browser.close();
    await server.close();
  }
});
