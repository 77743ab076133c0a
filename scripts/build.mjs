#!/usr/bin/env node
/**
 * The incremental build: `npm run build` (also run by `prepare`, `pretest`, `bench` and `example`).
 *
 * Two independent steps, run side by side when both are needed:
 * - kernels: AssemblyScript (`asc`) compiles src/wasm/index.ts and the `wasm/` folders it imports
 *   into dist/kernels.wasm;
 * - tsc: TypeScript compiles src/ (without the `wasm/` folders) into dist/ (tsconfig.build.json).
 *
 * A step is skipped when nothing it reads has changed since its last successful run. Its inputs are
 * the source files (.ts and .json) of its folders, and for tsc also tsconfig.json,
 * tsconfig.build.json and package.json. Before a step runs, the modification time and size of
 * every input are recorded; after it succeeds, that record, the compiler's version and the command
 * line are kept in dist/.build-stamp.json. The step runs again when any input's time or size
 * differs from the record, when an input was added or removed, when the compiler's version or the
 * command changed, or when an output is missing (dist/kernels.wasm, or the .js of a source file).
 * Comparing with the record taken BEFORE the compiler ran (rather than testing whether the outputs
 * are newer than the inputs) also catches a file saved while the compiler was running, and a file
 * put back with an older time.
 *
 * `npm run build:force` (or `npm run build -- --force`) rebuilds both steps; `--quiet` prints
 * nothing when everything is up to date; naming steps (`node scripts/build.mjs kernels`) runs
 * only those.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
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

/** The build steps: inputs, outputs that must exist, and the command. */
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
      inputs: () => [...tsInputs, ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => join(ROOT, f))],
      outputs: () => tsInputs
        .filter((f) => /\.[mc]?ts$/.test(f) && !/\.d\.[mc]?ts$/.test(f))
        .map((f) => join(DIST, relative(join(ROOT, 'src'), f)).replace(/\.([mc]?)ts$/, '.$1js')),
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
    const reason = force ? '--force' : staleness(step, stamp[step.name], files);
    if (reason !== null) todo.push({ step, reason, files });
  }
  if (todo.length === 0) {
    if (!quiet) process.stderr.write(`build: ${chosen.map((s) => s.name).join(' and ')} up to date (npm run build:force rebuilds)\n`);
    return;
  }
  for (const { step, reason } of todo) process.stderr.write(`build: ${step.name} (${reason})\n`);
  const results = await Promise.all(todo.map(async (t) => ({ ...t, ...(await run(t.step)) })));
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
