#!/usr/bin/env node
/**
 * The incremental build: `npm run build` (also run by `prepare`, `pretest`, `bench` and `example`).
 *
 * Four steps, run side by side when several are needed (browser waits for kernels):
 * - kernels: AssemblyScript (`asc`) compiles src/wasm/index.ts and the `wasm/` folders it imports
 *   into dist/kernels.wasm;
 * - tsc: TypeScript compiles src/ (without the `wasm/` folders) into dist/ (tsconfig.build.json);
 * - browser: esbuild bundles the library for browsers into dist/browser/ (ES modules: logreg.js,
 *   the fit worker fitWorker.js, their shared chunk, and a copy of kernels.wasm beside them, which
 *   the bundle loads from './kernels.wasm');
 * - demo: esbuild bundles the demo page (demo/main.ts with vega and vega-lite; the library is
 *   ../browser/logreg.js, not bundled again) into dist/demo/, with demo/'s other files and a copy
 *   of the bundled data sets (dist/demo/datasets/). dist/ is then a static site (npm run demo).
 *
 * A step is skipped when nothing it reads has changed since its last successful run. Its inputs are
 * the source files (.ts and .json) of its folders, for tsc also tsconfig.json, tsconfig.build.json
 * and package.json, for browser also dist/kernels.wasm, and for demo every file of demo/ and
 * datasets/; a step also runs when one it waits for runs. Before a step runs, the modification time and size of
 * every input are recorded; after it succeeds, that record, the compiler's version and the command
 * line are kept in dist/.build-stamp.json. The step runs again when any input's time or size
 * differs from the record, when an input was added or removed, when the compiler's version or the
 * command changed, or when an output is missing (dist/kernels.wasm, or the .js of a source file).
 * Comparing with the record taken BEFORE the compiler ran (rather than testing whether the outputs
 * are newer than the inputs) also catches a file saved while the compiler was running, and a file
 * put back with an older time.
 *
 * `npm run build:force` (or `npm run build -- --force`) rebuilds every step; `--quiet` prints
 * nothing when everything is up to date; naming steps (`node scripts/build.mjs kernels`) runs
 * only those.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp.json');
/** The files a compiler reads: sources and configuration (not editors' backup or swap files). */
const SOURCE = /\.(ts|mts|cts|json)$/;
const require = createRequire(import.meta.url);

/** The source files under `dir`, skipping folders for which `skip(name)` holds. */
function walk(dir, skip = () => false, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(entry.name)) walk(path, skip, out);
    } else if (SOURCE.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** The `wasm` folders under src/ (each is a tree of AssemblyScript sources). */
function wasmFolders(dir = join(ROOT, 'src'), out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === 'wasm') out.push(path);
    else wasmFolders(path, out);
  }
  return out;
}

/** A compiler's package: its version and the path of its command's script. */
function compiler(pkg, bin) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return { version: `${pkg}@${manifest.version}`, script: join(dirname(manifestPath), manifest.bin[bin]) };
}

/** Every file under `dir` (any extension). */
function allFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) allFiles(path, out);
    else out.push(path);
  }
  return out;
}

/** esbuild's version and its API (loaded only when a bundle is built). */
function esbuildTool() {
  const manifest = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8'));
  return { version: `esbuild@${manifest.version}` };
}

const BROWSER = join(DIST, 'browser');
const DEMO = join(DIST, 'demo');

/**
 * The default kernel URL of src/platform/kernelUrl.ts ('../../dist/kernels.wasm' from src/platform/
 * or dist/platform/) as the bundle needs it: './kernels.wasm', the copy beside the bundle.
 */
const kernelUrlPlugin = {
  name: 'kernels-beside-the-bundle',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]platform[\\/]kernelUrl\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = "new URL('../../dist/kernels.wasm', import.meta.url)";
      if (!source.includes(from)) return { errors: [{ text: `${args.path} no longer says ${from}; update scripts/build.mjs` }] };
      return { contents: source.replace(from, "new URL('./kernels.wasm', import.meta.url)"), loader: 'ts' };
    });
  },
};

/** The library's options for esbuild (browser step), also the step's "command" for staleness. */
const BROWSER_OPTIONS = {
  entryPoints: { logreg: 'src/index.ts', fitWorker: 'src/async/fitWorker.ts' },
  outdir: 'dist/browser',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  chunkNames: 'logreg-[hash]',
  legalComments: 'linked',
};

/** The demo's options for esbuild (demo step): the library stays the separate ../browser/logreg.js. */
const DEMO_OPTIONS = {
  entryPoints: ['demo/main.ts'],
  outfile: 'dist/demo/demo.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
};

const libraryExternalPlugin = {
  name: 'library-beside-the-demo',
  setup(build) {
    build.onResolve({ filter: /^logreg$/ }, () => ({ path: '../browser/logreg.js', external: true }));
  },
};

/** Runs esbuild with `options` (and plugins); its messages as text, and code 1 on errors or warnings. */
async function bundle(options, plugins) {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({ ...options, absWorkingDir: ROOT, plugins, logLevel: 'silent', metafile: true });
    const warnings = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    return { code: warnings.length > 0 ? 1 : 0, output: warnings.join(''), metafile: result.metafile };
  } catch (e) {
    const errors = e.errors ? await esbuild.formatMessages(e.errors, { kind: 'error' }) : [`${e.message}\n`];
    return { code: 1, output: errors.join('') };
  }
}

/** Empties a folder (stale chunks of an earlier bundle must not linger). */
function emptyDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** The browser step: the bundle, then kernels.wasm beside it. */
async function buildBrowser() {
  emptyDir(BROWSER);
  const r = await bundle(BROWSER_OPTIONS, [kernelUrlPlugin]);
  if (r.code === 0) copyFileSync(join(DIST, 'kernels.wasm'), join(BROWSER, 'kernels.wasm'));
  return r;
}

/** The demo step: the bundle, demo/'s other files, and the data sets. */
async function buildDemo() {
  emptyDir(DEMO);
  const r = await bundle(DEMO_OPTIONS, [libraryExternalPlugin]);
  if (r.code !== 0) return r;
  for (const f of readdirSync(join(ROOT, 'demo'))) {
    if (!/\.(ts|json)$/.test(f)) copyFileSync(join(ROOT, 'demo', f), join(DEMO, f));
  }
  mkdirSync(join(DEMO, 'datasets'));
  for (const f of readdirSync(join(ROOT, 'datasets'))) {
    if (f.endsWith('.csv')) copyFileSync(join(ROOT, 'datasets', f), join(DEMO, 'datasets', f));
  }
  return r;
}

/**
 * Removes what tsc wrote for sources that no longer exist (dist/x.js, .d.ts and their maps for a
 * deleted src/x.ts), so that the package never ships them. dist/browser/ and dist/demo/ are the
 * bundles' own.
 */
function pruneStale() {
  const removed = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dir !== DIST || (entry.name !== 'browser' && entry.name !== 'demo')) visit(path);
        continue;
      }
      const m = /^(.*)\.(js|js\.map|d\.ts|d\.ts\.map)$/.exec(entry.name);
      if (m === null) continue;
      const source = join(ROOT, 'src', relative(DIST, dir), `${m[1]}.ts`);
      if (!existsSync(source) && !existsSync(source.replace(/\.ts$/, '.mts'))) {
        rmSync(path);
        removed.push(relative(ROOT, path));
      }
    }
  };
  if (existsSync(DIST)) visit(DIST);
  return removed.length > 0 ? `build: removed ${removed.length} stale outputs (${removed.slice(0, 4).join(', ')}${removed.length > 4 ? ', …' : ''})\n` : '';
}

/** The build steps: inputs, outputs that must exist, and the command (a script to run, or `exec` in process). */
function steps() {
  const tsInputs = walk(join(ROOT, 'src'), (name) => name === 'wasm');
  return [
    {
      name: 'kernels',
      tool: compiler('assemblyscript', 'asc'),
      args: [
        'src/wasm/index.ts', '--outFile', 'dist/kernels.wasm', '-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--sharedMemory',
        '--initialMemory', '1', '--maximumMemory', '65536', '--enable', 'simd,threads',
      ],
      inputs: () => wasmFolders().flatMap((dir) => walk(dir)),
      outputs: () => [join(DIST, 'kernels.wasm')],
    },
    {
      name: 'tsc',
      tool: compiler('typescript', 'tsc'),
      args: ['-p', 'tsconfig.build.json'],
      done: pruneStale,
      inputs: () => [...tsInputs, ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => join(ROOT, f))],
      outputs: () => tsInputs
        .filter((f) => /\.[mc]?ts$/.test(f) && !/\.d\.[mc]?ts$/.test(f))
        .map((f) => join(DIST, relative(join(ROOT, 'src'), f)).replace(/\.([mc]?)ts$/, '.$1js')),
    },
    {
      name: 'browser',
      tool: esbuildTool(),
      args: [JSON.stringify(BROWSER_OPTIONS)],
      after: ['kernels'],
      exec: buildBrowser,
      inputs: () => [...tsInputs, join(ROOT, 'package.json'), join(ROOT, 'tsconfig.json'), join(DIST, 'kernels.wasm')].filter(existsSync),
      outputs: () => ['logreg.js', 'fitWorker.js', 'kernels.wasm'].map((f) => join(BROWSER, f)),
    },
    {
      name: 'demo',
      tool: esbuildTool(),
      args: [JSON.stringify(DEMO_OPTIONS)],
      exec: buildDemo,
      inputs: () => [...allFiles(join(ROOT, 'demo')), ...allFiles(join(ROOT, 'datasets')), join(ROOT, 'package.json')],
      outputs: () => ['index.html', 'demo.js', 'datasets/iris.csv'].map((f) => join(DEMO, f)),
    },
  ];
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return {};
  }
}

/** The record of a step's inputs: relative path → [modification time in ms, size in bytes]. */
function snapshot(step) {
  const files = {};
  for (const f of step.inputs().sort()) {
    const st = statSync(f);
    files[relative(ROOT, f).split(sep).join('/')] = [st.mtimeMs, st.size];
  }
  return files;
}

/** Why a step must run (a short reason), or null when its outputs are up to date. */
function staleness(step, last, files) {
  if (last === undefined) return 'no previous build';
  if (last.tool !== step.tool.version) return `${last.tool} → ${step.tool.version}`;
  if (last.command !== step.args.join(' ')) return 'its command changed';
  const missing = step.outputs().find((f) => !existsSync(f));
  if (missing !== undefined) return `${relative(ROOT, missing)} is missing`;
  const before = last.files ?? {};
  for (const [f, [mtime, size]] of Object.entries(files)) {
    if (before[f] === undefined) return `${f} is new`;
    if (before[f][0] !== mtime || before[f][1] !== size) return `${f} changed`;
  }
  const removed = Object.keys(before).find((f) => files[f] === undefined);
  if (removed !== undefined) return `${removed} was removed`;
  return null;
}

/** Runs a compiler with its output collected, so that two steps running together do not interleave. */
function run(step) {
  if (step.exec !== undefined) return step.exec().catch((e) => ({ code: 1, output: `${e.stack ?? e.message}\n` }));
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [step.tool.script, ...step.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (e) => resolvePromise({ code: 1, output: `${e.message}\n` }));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

function writeStamp(update) {
  mkdirSync(DIST, { recursive: true });
  const stamp = { ...readStamp(), ...update };
  const tmp = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(stamp)}\n`);
  renameSync(tmp, STAMP);
}

async function main() {
  const argv = process.argv.slice(2);
  const force = argv.includes('--force');
  const quiet = argv.includes('--quiet');
  const names = argv.filter((a) => !a.startsWith('--'));
  const all = steps();
  const unknown = [...names, ...argv.filter((a) => a.startsWith('--') && a !== '--force' && a !== '--quiet')].filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(', ')} (steps: ${all.map((s) => s.name).join(', ')}; options: --force, --quiet)`);
  const chosen = names.length === 0 ? all : all.filter((s) => names.includes(s.name));
  const stamp = readStamp();
  const todo = [];
  for (const step of chosen) {
    // The record is taken before the compiler runs: a file saved meanwhile differs from it next time.
    const files = snapshot(step);
    const waitedFor = (step.after ?? []).find((name) => todo.some((t) => t.step.name === name));
    const reason = force ? '--force' : staleness(step, stamp[step.name], files) ?? (waitedFor === undefined ? null : `${waitedFor} runs`);
    if (reason !== null) todo.push({ step, reason, files });
  }
  if (todo.length === 0) {
    if (!quiet) process.stderr.write(`build: ${chosen.map((s) => s.name).join(' and ')} up to date (npm run build:force rebuilds)\n`);
    return;
  }
  for (const { step, reason } of todo) process.stderr.write(`build: ${step.name} (${reason})\n`);
  // A step that waits for others starts when they succeed, with its record taken then (its inputs
  // include their outputs).
  const running = new Map();
  for (const t of todo) {
    running.set(t.step.name, (async () => {
      const before = (t.step.after ?? []).map((name) => running.get(name)).filter((p) => p !== undefined);
      const failed = (await Promise.all(before)).find((r) => r.code !== 0);
      if (failed !== undefined) return { ...t, code: 1, output: `build: ${t.step.name} not run (${failed.step.name} failed)\n` };
      if (before.length > 0) t.files = snapshot(t.step);
      const result = await run(t.step);
      if (result.code === 0 && t.step.done !== undefined) result.output += t.step.done();
      return { ...t, ...result };
    })());
  }
  const results = await Promise.all(running.values());
  let failed = false;
  for (const { step, files, code, output } of results) {
    process.stderr.write(output);
    if (code === 0) writeStamp({ [step.name]: { tool: step.tool.version, command: step.args.join(' '), files } });
    else {
      failed = true;
      process.stderr.write(`build: ${step.name} failed (exit code ${code})\n`);
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`build: ${e.message}\n`);
  process.exitCode = 1;
});
