import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fit, fitAsync, readCsv, ready, runtimeInfo, setKernelSource } from '../../src/index.js';
import { MissingPackageError, importOptional, isMissing, lazy } from '../../src/util/lazy.js';
import { ROOT } from './chromium.js';
import { hex } from './pages/synth.js';

// The platform layer as Node.js sees it: ready(), fitAsync (a plain wrapper of fit here), the
// kernels' source, and the one-line errors for optional packages that are not installed.

describe('ready and fitAsync in Node.js', () => {
  it('ready() starts the threads asked for and says what this thread can do', async () => {
    const info = await ready({ threads: 2 });
    expect(info).toMatchObject({ platform: 'node', sharedMemory: true, threads: 2 });
    expect(runtimeInfo()).toEqual(info);
    await expect(ready({ threads: 0 })).rejects.toThrow(new RangeError("threads must be a positive integer or 'auto', got 0"));
  });

  it('fitAsync gives fit\'s model, bit for bit, and rejects with fit\'s errors', async () => {
    const table = readCsv(join(ROOT, 'datasets', 'wine.csv'));
    const a = await fitAsync(table, { target: 'cultivar', standardize: true });
    const b = fit(table, { target: 'cultivar', standardize: true });
    expect([hex(a.coef.flat()), hex(a.intercept)]).toEqual([hex(b.coef.flat()), hex(b.intercept)]);
    const pending = fitAsync(table, { target: 'nope' });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow(/has no target column "nope"/);
  });

  it('setKernelSource is refused once the kernels are loaded', () => {
    fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
    expect(() => setKernelSource(join(ROOT, 'dist', 'kernels.wasm'))).toThrow('setKernelSource must be called before the kernels are loaded (before ready() and the first fit)');
  });
});

describe('optional packages', () => {
  it('a package that is not installed is one line naming it', async () => {
    expect(() => lazy('no-such-package-for-logreg/sync', 'testing')()).toThrow(
      new MissingPackageError('no-such-package-for-logreg', 'testing'),
    );
    expect(new MissingPackageError('vega', 'rendering charts').message).toBe('rendering charts needs the package vega, which is not installed: npm install vega');
    // A literal specifier that does not resolve (written out, as callers write theirs for bundlers).
    await expect(importOptional('no-such-package-for-logreg', 'testing', () => import('no-such-package-for-logreg' as string))).rejects.toThrow(
      'testing needs the package no-such-package-for-logreg, which is not installed: npm install no-such-package-for-logreg',
    );
  });

  it('a package that is installed but misses one of its own dependencies is not reported as missing', () => {
    const nested = Object.assign(new Error("Cannot find package 'd3-geo' imported from /app/node_modules/vega/build/vega.module.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(isMissing(nested, 'vega')).toBe(false);
    const own = Object.assign(new Error("Cannot find package 'vega' imported from /app/node_modules/logreg/dist/plot/render.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(isMissing(own, 'vega')).toBe(true);
    expect(isMissing(Object.assign(new Error("Cannot find module 'cli-progress'"), { code: 'MODULE_NOT_FOUND' }), 'cli-progress')).toBe(true);
  });

  it('an installed optional package loads', async () => {
    expect(typeof lazy<{ SingleBar: unknown }>('cli-progress')().SingleBar).toBe('function');
    const vega = await importOptional('vega', 'rendering charts', () => import('vega'));
    expect(typeof vega.View).toBe('function');
  });
});
