import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Follows the run-time imports of a source file through the project (relative imports, with
 * their .js suffix read as .ts; type-only imports are erased by the compiler and skipped).
 * Returns the project files reached and every import of anything else (a package or a Node
 * module), as "file: first line of the statement".
 */
export function runtimeImports(entry: string): { files: string[]; external: string[] } {
  const seen = new Set<string>();
  const external: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [statement, from] of source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gms)) {
      if (from!.startsWith('.')) visit(join(dirname(file), from!.replace(/\.js$/, '.ts')));
      else external.push(`${relative(ROOT, file)}: ${statement!.split('\n')[0]}`);
    }
  };
  visit(join(ROOT, entry));
  return { files: [...seen].map((f) => relative(ROOT, f)), external };
}
