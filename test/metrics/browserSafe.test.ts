import { expect, it } from 'vitest';
import { runtimeImports } from './runtimeImports.js';

// src/metrics must run in browsers: nothing it loads, directly or through other project files,
// may import a Node module or a package at run time.

it('the metrics load no Node module and no package at run time', () => {
  const { files, external } = runtimeImports('src/metrics/index.ts');
  expect(files.length).toBeGreaterThan(10);
  expect(external).toEqual([]);
  expect(files.filter((f) => !f.startsWith('src/metrics/'))).toEqual([
    'src/util/labels.ts',
    'src/util/text.ts',
  ]);
});
