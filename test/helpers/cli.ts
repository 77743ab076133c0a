import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command (npm test builds first, through the pretest script). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `logreg args…` as a child process, from `cwd` (default: a fresh temporary folder). */
export function logreg(args: string[], cwd?: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: cwd ?? tempDir(), encoding: 'utf8', env: { ...process.env, LOGREG_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'logreg-test-'));
}
