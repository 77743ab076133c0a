import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering of docs/architecture.md, checked on the source: every relative import between two
 * folders of src/ points down this list (top first). '(root)' is src/index.ts, the public entry.
 * The AssemblyScript folders (wasm/) are a separate program and are not checked here.
 */
const LAYERS = [
  'cli', 'engine', '(root)', 'async', 'export', 'select', 'model', 'design', 'data', 'metrics',
  'loss', 'optim', 'plot', 'backend', 'util', 'platform',
];

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'wasm') out.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The top folder of a file under src/ ('model'), or '(root)' for a file directly in src/. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : '(root)';
}

/** Every cross-folder relative import: [importing file, imported file]. */
function crossImports(): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (layerOf(file) !== layerOf(target)) edges.push([file, target]);
    }
  }
  return edges;
}

describe('architecture', () => {
  it('every folder of src/ has a place in the layers', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'wasm').map((e) => e.name);
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  it('imports point down the layers only', () => {
    const edges = crossImports();
    expect(edges.length).toBeGreaterThan(50);
    const upward = edges
      .filter(([from, to]) => LAYERS.indexOf(layerOf(from)) > LAYERS.indexOf(layerOf(to)))
      .map(([from, to]) => `${relative(SRC, from)} -> ${relative(SRC, to)}`);
    expect(upward).toEqual([]);
  });
});
