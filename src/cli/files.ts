import { randomBytes } from 'node:crypto';
import {
  chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * The CLI's output files. A regular file (or a new one) is written atomically: into a temporary file
 * beside it, flushed, given the old file's mode, then renamed over it, so that a failed or killed
 * run leaves no partial file and the previous one untouched. A symbolic link is followed and its
 * target written (the link stays a link). Anything that is not a regular file (a device such as
 * /dev/null or /dev/stdout, a FIFO) is written directly, as a shell redirection would.
 */

/** Where an output goes, checked before any work is done. */
export interface OutputTarget {
  /** The path as the user gave it (for messages). */
  given: string;
  /** The file written: symbolic links resolved. */
  path: string;
  /** 'file': a regular file or a new one (atomic replacement); 'special': written directly. */
  kind: 'file' | 'special';
  /** The existing file's permission bits, kept by the replacement (null for a new file). */
  mode: number | null;
}

/** The error text of a failed file operation: its code, or its message. */
function why(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** The final target of a path through any symbolic links (the path itself when it does not exist yet). */
function followLinks(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    // A link to a file that does not exist yet (or no file at all): resolve the folder instead.
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Checks, before any work is done, that `path` can be written as an output file: its folder exists
 * and is writable (a file is created there and removed), it is not a folder, and it is not one of
 * the input files (`inputKind` names them in the message: the data, or the model). `option` names the
 * flag in every message.
 */
export function checkOutputPath(
  path: string, option: string, inputs: readonly string[] = [], inputKind = { name: 'the input data file', holds: 'the data' },
): OutputTarget {
  if (path === '') throw new CliError(`${option} needs a file name`);
  // Anything that exists and is not a regular file (a device, a FIFO, /dev/stdout) is written as
  // it is named: resolving /dev/stdout would lead into /proc to a pipe that has no path.
  let direct: ReturnType<typeof statSync> | null = null;
  try {
    direct = statSync(path);
  } catch {
    direct = null;
  }
  if (direct !== null && !direct.isFile() && !direct.isDirectory()) return { given: path, path, kind: 'special', mode: null };
  const target = followLinks(resolve(path));
  for (const input of inputs) {
    if (input !== '-' && followLinks(resolve(input)) === target) {
      throw new CliError(`${option} ${path} is ${inputKind.name}; writing it would destroy ${inputKind.holds}`);
    }
  }
  let st: ReturnType<typeof statSync> | null = null;
  try {
    st = statSync(target);
  } catch {
    st = null;
  }
  if (st !== null && st.isDirectory()) throw new CliError(`${option} ${path} is a folder, not a file`);
  if (st !== null && !st.isFile()) return { given: path, path: target, kind: 'special', mode: null };
  const dir = dirname(target);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new CliError(`${option} ${path}: the folder ${dirname(path) || '.'} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new CliError(`${option} ${path}: ${dirname(path)} is not a folder`);
  probeWritable(dir, option, path);
  return { given: path, path: target, kind: 'file', mode: st === null ? null : st.mode & 0o7777 };
}

/** Creates and removes a file in `dir`: the one sure test that the folder takes new files. */
function probeWritable(dir: string, option: string, shown: string): void {
  const probe = join(dir, `.logreg-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    throw new CliError(`${option} ${shown}: cannot write in the folder ${dir} (${why(e)})`);
  }
  rmSync(probe, { force: true });
}

/** The standard streams by their /dev names: written through their descriptors (opening them fails when they are sockets). */
const STANDARD: Record<string, number> = { '/dev/stdout': 1, '/dev/fd/1': 1, '/proc/self/fd/1': 1, '/dev/stderr': 2, '/dev/fd/2': 2, '/proc/self/fd/2': 2 };

/** Writes text (UTF-8) or bytes to a checked output: atomically for a file, directly for anything else. */
export function writeOutput(out: OutputTarget, text: string | Uint8Array, option: string): void {
  if (out.kind === 'special') {
    const standard = STANDARD[out.path];
    let fd: number | null = null;
    try {
      fd = standard ?? openSync(out.path, 'w');
      writeAll(fd, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw new CliError(`${option} ${out.given}: could not write (${why(e)})`);
    } finally {
      if (fd !== null && standard === undefined) closeSync(fd);
    }
    return;
  }
  const tmp = join(dirname(out.path), `.${basename(out.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', out.mode ?? 0o666);
    writeAll(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    if (out.mode !== null) chmodSync(tmp, out.mode);
    renameSync(tmp, out.path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new CliError(`${option} ${out.given}: could not write the file (${why(e)})`);
  }
}

/**
 * Writes the whole string: writeSync may write less than asked to pipes and devices, and a
 * non-blocking pipe that is full answers EAGAIN until its reader catches up.
 */
function writeAll(fd: number, text: string | Uint8Array): void {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let off = 0; off < bytes.length;) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/**
 * Checks a folder for pictures before any work: an existing, writable folder, or one that can be
 * made. Folders are made one level at a time, at most 32 levels (a recursive mkdir loops forever on
 * pseudo file systems such as /proc).
 */
export function checkOutputFolder(raw: string, option: string): string {
  if (raw === '') throw new CliError(`${option} needs a folder name`);
  const abs = resolve(raw);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    let st;
    try {
      st = statSync(at);
    } catch {
      st = null;
    }
    if (st !== null) {
      if (!st.isDirectory()) throw new CliError(at === abs ? `${option} ${raw} is a file, not a folder` : `${option} ${raw}: ${at} is not a folder`);
      break;
    }
    missing.push(at);
    const up = dirname(at);
    if (up === at || missing.length > 32) throw new CliError(`${option} ${raw}: cannot create the folder (too deep below an existing one)`);
    at = up;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      throw new CliError(`${option} ${raw}: cannot create the folder (${why(e)})`);
    }
  }
  probeWritable(abs, option, raw);
  return abs;
}

/** All of standard input, as bytes (for --data -). */
export function readStdin(): Uint8Array {
  try {
    return readFileSync(0);
  } catch (e) {
    throw new CliError(`--data -: could not read standard input (${why(e)})`);
  }
}
