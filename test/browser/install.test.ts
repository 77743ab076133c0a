import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit, loadBundled } from '../../src/index.js';
import { ROOT } from './chromium.js';
import { hex } from './pages/synth.js';

// The light install: the package as npm publishes it (npm pack), installed alone into an empty
// project with --omit=dev (npm's cache first; CI's npm ci has just filled it). It brings no
// plotting and no command-line packages; what needs them says which to install, in one line;
// its types compile without them (and without skipLibCheck); its source maps carry their sources.

const OPTIONAL = ['vega', 'vega-lite', 'yargs', 'cli-progress', 'ml-matrix'];

let dir: string;
let tarball: string;
let files: string[];
let installOutput: string;

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true', LOGREG_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function kib(path: string): number {
  let bytes = 0;
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else bytes += st.size;
  };
  walk(path);
  return bytes / 1024;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logreg-install-'));
  const pack = run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(dir, info!.filename);
  files = info!.files.map((f) => f.path);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const install = run('npm', ['install', tarball, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], dir);
  installOutput = install.stdout + install.stderr;
  expect(install.status, installOutput).toBe(0);
}, 240_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the library, its browser build and the data sets; not the demo, the sources or the scripts', () => {
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/kernels.wasm', 'dist/browser/logreg.js', 'dist/browser/fitWorker.js', 'dist/browser/kernels.wasm', 'datasets/iris.csv']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(src|scripts|test|demo|dist\/demo)\//.test(f) || f === 'dist/.build-stamp.json')).toEqual([]);
  });

  it('installs without the optional packages, and says what it installed', () => {
    const modules = join(dir, 'node_modules');
    for (const p of OPTIONAL) expect(readdirSync(modules)).not.toContain(p);
    const added = /added (\d+) packages?/.exec(installOutput);
    expect(added).not.toBeNull();
    const line = `light install (npm install logreg-0.1.0.tgz --omit=dev): ${added![1]} packages, node_modules ${(kib(modules) / 1024).toFixed(1)} MiB ` +
      `(logreg itself ${(kib(join(modules, 'logreg')) / 1024).toFixed(1)} MiB); top level: ${readdirSync(modules).filter((f) => !f.startsWith('.')).join(', ')}`;
    console.log(line);
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    writeFileSync(join(ROOT, 'test-output', 'install-size.txt'), `${line}\n`);
    // npm runs `prepare` only for packages installed from a folder or git, never from a tarball:
    // the package has no scripts/ folder, so running it would have failed the install.
    expect(readdirSync(join(modules, 'logreg'))).not.toContain('scripts');
  });

  it('fits in Node.js as the repository does, bit for bit', () => {
    const script = `import { fit, loadBundled } from 'logreg';
const { table, target } = loadBundled('breast-cancer');
const m = fit(table, { target, standardize: true });
console.log(JSON.stringify({ coef: m.coef.flat(), intercept: m.intercept }));`;
    const r = run(process.execPath, ['--input-type=module', '-e', script], dir);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { coef: number[]; intercept: number[] };
    const { table, target } = loadBundled('breast-cancer');
    const m = fit(table, { target, standardize: true });
    expect({ coef: hex(got.coef), intercept: hex(got.intercept) }).toEqual({ coef: hex(m.coef.flat()), intercept: hex(m.intercept) });
  });

  it('renderSvg without vega: one line naming the package to install', () => {
    const script = `const { renderSvg } = await import('logreg/plot');
const { rocChart } = await import('logreg');
try { await renderSvg(rocChart([0, 1], [0, 1], 0.5, 'ROC')); console.log('rendered'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = run(process.execPath, ['--input-type=module', '-e', script], dir);
    expect(r.stdout.trim()).toBe('MissingPackageError: rendering charts needs the package vega, which is not installed: npm install vega');
  });

  it('the command without yargs: one line naming the package to install, exit code 1', () => {
    const r = run(process.execPath, [join(dir, 'node_modules', 'logreg', 'dist', 'cli', 'main.js'), 'train', '--data', 'iris'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('logreg: the logreg command needs the package yargs, which is not installed: npm install yargs\n');
  });

  it('its types compile without the optional packages, with skipLibCheck off, for Node.js and for browsers', () => {
    writeFileSync(join(dir, 'consumer.ts'), `import { type ChartSpec, type Classifier, type RuntimeInfo, dense, fit, fitAsync, lineChart, ready, rocChart, setKernelSource } from 'logreg';
import { renderSvg } from 'logreg/plot';
export async function use(): Promise<void> {
  setKernelSource(new URL('./kernels.wasm', import.meta.url));
  const info: RuntimeInfo = await ready({ threads: 1 });
  const m: Classifier = fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
  const a: Classifier = await fitAsync(dense(new Float64Array(4), 4, 1), [0, 1, 0, 1], { C: 2 });
  const spec: ChartSpec = lineChart([{ name: 's', x: [0, 1], y: [0, 1] }], { title: 't', xTitle: 'x', yTitle: 'y' });
  const svg: string = await renderSvg(rocChart([0, 1], [0, 1], 0.5, 'roc'));
  void [info.threads, m.coef, a.classes, spec.$schema, svg];
}
`);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false };
    // Node.js: @types/node (it comes with protobufjs), no DOM library; a browser: the DOM library, no Node types.
    for (const [name, extra] of [['node', { lib: ['ES2022'], types: ['node'] }], ['browser', { lib: ['ES2022', 'DOM'], types: [] }]] as const) {
      writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...options, ...extra }, files: ['consumer.ts'] }));
      const r = run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], dir);
      expect({ name, output: r.stdout + r.stderr }).toEqual({ name, output: '' });
    }
  });

  it('ships source maps that carry their sources', () => {
    const dist = join(dir, 'node_modules', 'logreg', 'dist');
    const maps: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.js.map')) maps.push(join(d, e.name));
      }
    };
    walk(dist);
    expect(maps.length).toBeGreaterThan(50);
    const missing = maps.filter((f) => {
      const m = JSON.parse(readFileSync(f, 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      // (A chunk of only the bundler's helpers maps no source at all: nothing to resolve.)
      return m.sourcesContent?.length !== m.sources.length || m.sourcesContent.some((c) => typeof c !== 'string');
    });
    expect(missing).toEqual([]);
  });
});
