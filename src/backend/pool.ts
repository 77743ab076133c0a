import { platform } from '../platform/current.js';
import type { KernelWorker } from '../platform/types.js';
import { type Arena, WARM_PAGES, kernelModule, warmKernels } from './arena.js';

/**
 * Row passes split into chunks, run on the main thread and a pool of worker threads.
 *
 * A pass over n rows is cut into chunkCount(n) chunks of consecutive rows. Every chunk writes its
 * partial sums into its own area and returns a number; the caller adds the areas and the numbers
 * in chunk order. The chunks depend on n alone, never on the number of threads, so a result is
 * bit-for-bit the same with 1 thread or 8, and on every run.
 *
 * Threads claim chunks one at a time from a shared counter (compare-and-swap on a word tagged with
 * the job's generation), so a busy or still-starting worker delays nobody: the main thread takes
 * whatever is left. Between jobs, workers poll for the next one for a few hundred microseconds, then
 * sleep in Atomics.wait. Each worker instantiates the same
 * compiled module over the arena's shared memory, which reaches it through its message port, and
 * keeps the last HELD memories sent (with their instances: a path alternates between the data,
 * a Hessian's sample and a working set's copy, and a worker that let go of a memory at each
 * switch spent more time collecting it than computing); when the main thread's event loop next
 * turns, the pool tells the workers to let go of them all, so a pool never keeps a data set alive
 * after the work that used it (a loop of a thousand predictions on fresh data stays flat).
 *
 * The workers are the platform's (src/platform/): worker_threads in Node.js, Web Workers in a
 * cross-origin-isolated page. A browser starts a worker only once the thread that made it returns
 * to its event loop, and a page's main thread may not sleep in Atomics.wait: there, ready()
 * (startWorkers) starts the workers ahead of the work, and the posting thread polls instead of
 * sleeping while the workers finish their last chunks.
 */

/** Most chunks per pass (also the most threads that can share one pass). */
export const MAX_CHUNKS = 16;
/** Fewest rows in a chunk: below this, splitting costs more than it saves. */
export const MIN_CHUNK_ROWS = 128;

/**
 * Chunks of a pass over n rows: the most, up to MAX_CHUNKS, for which the smallest (the last, see
 * chunkStart) still holds MIN_CHUNK_ROWS rows; 1 for small n.
 */
export function chunkCount(n: number): number {
  let C = 1;
  while (C < MAX_CHUNKS && n >= (MIN_CHUNK_ROWS * (C + 1) * (C + 2)) / 2) C++;
  return C;
}

/**
 * First row of chunk c of C over n rows (chunk c is [chunkStart(c), chunkStart(c + 1))). Chunks
 * shrink along the rows, in proportion to C − c (guided scheduling): the large ones are claimed
 * first and the small ones last, so the threads of a pass finish at nearly the same time.
 */
export function chunkStart(n: number, C: number, c: number): number {
  const before = c * C - (c * (c - 1)) / 2; // Σ_{i<c} (C − i)
  return Math.floor((n * before) / ((C * (C + 1)) / 2));
}

/**
 * A pass of a kernel over the rows: fn(r0, r1, parts + c·partBytes, ...args) for every chunk c.
 * With `tasks`, the "rows" are independent tasks (the columns of a table, say) split evenly into
 * min(rows, MAX_CHUNKS) chunks, one task or a few each, rather than rows in guided chunks.
 */
export interface ChunkedPass {
  /** Name of the exported kernel function. */
  fn: string;
  rows: number;
  tasks?: boolean;
  /** Byte offset of chunk 0's area; chunk c's area starts partBytes·c bytes later. */
  parts: number;
  partBytes: number;
  /** The arguments after (r0, r1, part), the same for every chunk. */
  args: readonly number[];
}

/**
 * Runs a pass over every chunk on up to `threads` threads (1: the calling thread alone) and returns
 * the chunks' results in chunk order. Partial sums are left in the chunks' areas.
 */
export function runChunks(arena: Arena, pass: ChunkedPass, threads: number): Float64Array {
  const C = pass.tasks ? Math.min(pass.rows, MAX_CHUNKS) : chunkCount(pass.rows);
  const start = pass.tasks ? taskStart : chunkStart;
  if (threads > 1 && C > 1) {
    const p = pool(Math.min(threads, C) - 1);
    if (p !== null) return p.run(arena, pass, C, Math.min(threads, C) - 1);
  }
  // One thread: the chunks in order on this one (the same sums, in the same order).
  const f = arena.fn(pass.fn);
  const out = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    out[c] = f(start(pass.rows, C, c), start(pass.rows, C, c + 1), pass.parts + c * pass.partBytes, ...pass.args);
  }
  return out;
}

/** First task of chunk c of C over n tasks: an even split. */
export function taskStart(n: number, C: number, c: number): number {
  return Math.floor((n * c) / C);
}

/** The number of cores worth using by default (at most 8; 1 where threads cannot share memory). */
export function defaultThreads(): number {
  return platform().canShareMemory() ? Math.min(platform().cores(), 8) : 1;
}

// Control words (Int32, shared): the generation of the job (workers wait on it), the claim word,
// the count of finished chunks (the main thread waits on it), an error flag, how many workers
// may take part, and the count of chunks the workers ever ran (runtime statistics).
const GEN = 0;
const CLAIM = 1;
const DONE = 2;
const ERROR = 3;
const ALLOWED = 4;
const WORKER_CHUNKS = 5;
// Job fields (Float64, shared): read by a worker only after it has claimed a chunk of the job,
// which pins the job (the main thread rewrites them only once every chunk is done).
const J_FN = 0;
const J_ARENA = 1;
const J_ROWS = 2;
const J_PARTS = 3;
const J_PART_BYTES = 4;
const J_NARGS = 5;
const J_TASKS = 6;
const J_ARGS = 7;
const MAX_ARGS = 26;
/**
 * Arena memories a worker keeps (oldest sent dropped first; the posting thread keeps the same
 * list, so it knows which ones a worker holds).
 */
const HELD = 4;
/** Polls of the generation word before a worker goes to sleep (a few hundred microseconds). */
const SPIN = 20_000;

/**
 * The claim word: the job's generation (16 bits), C − 1 (4 bits) and the next unclaimed chunk
 * (10 bits). A worker claims chunk `next` by compare-and-swap of word → word + 1, and only while
 * the generation is the one it woke up for and next < C.
 */
function claimWord(gen: number, C: number, next: number): number {
  return ((gen & 0xffff) << 14) | ((C - 1) << 10) | next;
}

/**
 * What both workers run, as source: `receive` (keep an arena memory sent, or let go of all on a
 * release; whether one was let go of), `holds`, `attach` (the kernels instantiated on an arena's
 * memory, once per memory held) and `claim` (take chunks of the current job until none is left:
 * compare-and-swap on the claim word, run the kernel on the chunk's rows, count it done). With
 * `heldOnly` (the browser worker) it stops before claiming a chunk of an arena whose memory it
 * does not hold; `report` hands on a failure `e`. They expect
 * module, names, ctl, job, results, seen and abort in the worker's scope.
 */
function claimSource(heldOnly: boolean, report: string): string {
  return `
const chunkStart = ${chunkStart.toString()};
const taskStart = ${taskStart.toString()};
// The memories held, oldest first: { id, memory, fns (null until attached) }.
let held = [];
let fns = null;
let current = 0;
function receive(m) {
  const before = held.length;
  if (m.release) held = [];
  else {
    held.push({ id: m.id, memory: m.memory, fns: null });
    if (held.length > ${HELD}) held.shift();
  }
  if (!held.some((h) => h.id === current)) { fns = null; current = 0; }
  return m.release ? before > 0 : before === ${HELD};
}
function holds(id) { return held.some((h) => h.id === id); }
function attach(id) {
  const h = held.find((e) => e.id === id);
  if (h === undefined) throw new Error('the memory of arena ' + id + ' did not reach the worker');
  if (h.fns === null) {
    const inst = new WebAssembly.Instance(module, { env: { memory: h.memory, abort } });
    h.fns = names.map((n) => inst.exports[n]);
  }
  fns = h.fns;
  current = id;
}
function claim() {
  const tag = seen & 0xffff;
  for (;;) {
    const w = Atomics.load(ctl, ${CLAIM});
    if ((w >>> 14) !== tag) break;
    const C = ((w >> 10) & 15) + 1;
    const c = w & 1023;
    if (c >= C) break;${heldOnly ? `
    // The job fields are those of this claim word's job while the word stands (see Pool.run).
    if (!holds(job[${J_ARENA}])) break;` : ''}
    if (Atomics.compareExchange(ctl, ${CLAIM}, w, w + 1) !== w) continue;
    try {
      const id = job[${J_ARENA}];
      if (id !== current) attach(id);
      const n = job[${J_ROWS}];
      const start = job[${J_TASKS}] === 1 ? taskStart : chunkStart;
      const args = Array.from(job.subarray(${J_ARGS}, ${J_ARGS} + job[${J_NARGS}]));
      results[c] = fns[job[${J_FN}]](start(n, C, c), start(n, C, c + 1), job[${J_PARTS}] + c * job[${J_PART_BYTES}], ...args);
    } catch (e) {
      Atomics.store(ctl, ${ERROR}, 1);
      ${report}
    }
    Atomics.add(ctl, ${WORKER_CHUNKS}, 1);
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}
`;
}

/** The Node.js worker (worker_threads): takes its messages with receiveMessageOnPort, sleeps in Atomics.wait. */
const NODE_WORKER_SOURCE = `
'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
// A worker's heap barely grows, so its garbage collector would never run on its own, and the
// shared memories it let go of (each a data set) would stay allocated: it collects explicitly
// whenever it drops one. (--expose-gc set at run time exposes gc to contexts made afterwards.)
require('node:v8').setFlagsFromString('--expose-gc');
const collect = require('node:vm').runInNewContext('gc');
const { module, names, ctl, job, results, port, index } = workerData;
let seen = 0;
const abort = () => { throw new Error('a WebAssembly kernel aborted'); };
// Compile the kernels now, while nothing waits for this thread (arena.ts: warmKernels).
{
  const memory = new WebAssembly.Memory({ initial: 1 + ${WARM_PAGES}, maximum: 65536, shared: true });
  const inst = new WebAssembly.Instance(module, { env: { memory, abort } });
  if (typeof inst.exports.warm === 'function') inst.exports.warm(65536);
}
function drain() {
  let dropped = false;
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) dropped = receive(m.message) || dropped;
  if (dropped) collect();
}
${claimSource(false, 'port.postMessage(String(e && e.message ? e.message : e));')}
for (;;) {
  // The next pass usually follows within microseconds (an optimizer's step between two
  // gradients): look for it for a while before sleeping, since waking from a sleep takes longer.
  for (let spin = 0; spin < ${SPIN} && Atomics.load(ctl, ${GEN}) === seen; spin++);
  Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  drain();
  if (index >= Atomics.load(ctl, ${ALLOWED})) continue;
  claim();
}
`;

/**
 * The browser worker (a Web Worker): the same claims, but messages (arena memories, releases)
 * reach it only through its event loop, so it sleeps in Atomics.waitAsync (or, where that is
 * missing, in short Atomics.waits between turns of its event loop), and it takes a chunk only of
 * an arena whose memory it holds: when a job names an arena it has not received yet, it lets its
 * event loop deliver the message first, and if the memory is still not there it leaves the job to
 * the other threads. A failure goes into its failure area (added by src/platform/browser.ts:
 * [length, char codes]), which the posting thread reads without waiting.
 */
const BROWSER_WORKER_SOURCE = `
'use strict';
let module = null, names = null, ctl = null, job = null, results = null, index = 0, failure = null;
let seen = 0;
const abort = () => { throw new Error('a WebAssembly kernel aborted'); };
function report(e) {
  if (Atomics.load(failure, 0) !== 0) return;
  const text = String(e && e.message ? e.message : e).slice(0, failure.length - 1);
  for (let i = 0; i < text.length; i++) failure[1 + i] = text.charCodeAt(i);
  Atomics.store(failure, 0, Math.max(1, text.length));
}
${claimSource(true, 'report(e);')}
// One turn of the event loop (its queued messages are handled before this resolves).
const tick = new MessageChannel();
let resume = null;
tick.port1.onmessage = () => { const r = resume; resume = null; if (r !== null) r(); };
const turn = () => new Promise((r) => { resume = r; tick.port2.postMessage(0); });
async function loop() {
  for (;;) {
    for (let spin = 0; spin < ${SPIN} && Atomics.load(ctl, ${GEN}) === seen; spin++);
    if (Atomics.load(ctl, ${GEN}) === seen) {
      if (typeof Atomics.waitAsync === 'function') {
        const r = Atomics.waitAsync(ctl, ${GEN}, seen);
        if (r.async) await r.value;
      } else {
        Atomics.wait(ctl, ${GEN}, seen, 50);
        await turn();
      }
      if (Atomics.load(ctl, ${GEN}) === seen) continue;
    }
    seen = Atomics.load(ctl, ${GEN});
    if (index >= Atomics.load(ctl, ${ALLOWED})) continue;
    if (!holds(job[${J_ARENA}])) await turn();
    claim();
  }
}
onmessage = (e) => {
  const m = e.data;
  if (m.init !== undefined) {
    ({ module, names, ctl, job, results, index, failure } = m.init);
    // Compile the kernels now, while nothing waits for this thread (arena.ts: warmKernels).
    const memory = new WebAssembly.Memory({ initial: 1 + ${WARM_PAGES}, maximum: 65536, shared: true });
    const inst = new WebAssembly.Instance(module, { env: { memory, abort } });
    if (typeof inst.exports.warm === 'function') inst.exports.warm(65536);
    postMessage('ready');
    loop();
    return;
  }
  // The memories sent are kept as in the Node.js worker.
  receive(m);
};
`;

interface PoolWorker {
  handle: KernelWorker;
  /** The arenas whose memories this worker holds, oldest first (at most HELD; none after a release). */
  sent: number[];
  /** Whether it has started (its `started` resolved). */
  up: boolean;
}

class Pool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly job = new Float64Array(new SharedArrayBuffer((J_ARGS + MAX_ARGS) * 8));
  private readonly results = new Float64Array(new SharedArrayBuffer(MAX_CHUNKS * 8));
  private readonly workers: PoolWorker[] = [];
  private readonly names: string[];
  private gen = 0;
  private releaseScheduled = false;

  constructor() {
    this.names = WebAssembly.Module.exports(kernelModule()).filter((e) => e.kind === 'function').map((e) => e.name);
  }

  /**
   * Starts workers until there are `count` (they boot in the background; jobs do not wait for them).
   * Returns how many there are: fewer when the system refuses another thread.
   */
  grow(count: number): number {
    const host = platform();
    while (this.workers.length < count) {
      // A worker that fails to start or dies between jobs claims no chunk: the others, and the
      // main thread, do its share.
      const handle = host.startKernelWorker(host.name === 'node' ? NODE_WORKER_SOURCE : BROWSER_WORKER_SOURCE, {
        module: kernelModule(), names: this.names, ctl: this.ctl, job: this.job, results: this.results, index: this.workers.length,
      });
      if (handle === null) break;
      const w: PoolWorker = { handle, sent: [], up: false };
      handle.started.then(() => { w.up = true; }, () => {});
      this.workers.push(w);
    }
    return this.workers.length;
  }

  /** Waits until the first `count` workers have started (or failed to); returns how many run. */
  async started(count: number): Promise<number> {
    const first = this.workers.slice(0, count);
    const settled = await Promise.allSettled(first.map((w) => w.handle.started));
    return settled.filter((r) => r.status === 'fulfilled').length;
  }

  /** Workers started so far, and the chunks they have run. */
  stats(): { workers: number; workerChunks: number } {
    return { workers: this.workers.filter((w) => w.up).length, workerChunks: Atomics.load(this.ctl, WORKER_CHUNKS) };
  }

  run(arena: Arena, pass: ChunkedPass, C: number, workers: number): Float64Array {
    const fnIndex = this.names.indexOf(pass.fn);
    if (fnIndex < 0) throw new Error(`the kernel module has no function ${pass.fn}`);
    if (pass.args.length > MAX_ARGS) throw new Error(`a chunked pass takes at most ${MAX_ARGS} arguments`);
    for (const w of this.workers) {
      if (w.sent.includes(arena.id)) continue;
      w.handle.send({ id: arena.id, memory: arena.memory });
      w.sent.push(arena.id);
      if (w.sent.length > HELD) w.sent.shift();
    }
    const { ctl, job, results } = this;
    job[J_FN] = fnIndex;
    job[J_ARENA] = arena.id;
    job[J_ROWS] = pass.rows;
    job[J_PARTS] = pass.parts;
    job[J_PART_BYTES] = pass.partBytes;
    job[J_NARGS] = pass.args.length;
    job[J_TASKS] = pass.tasks ? 1 : 0;
    job.set(pass.args, J_ARGS);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, ERROR, 0);
    Atomics.store(ctl, ALLOWED, workers);
    this.gen = (this.gen + 1) & 0xffff;
    Atomics.store(ctl, CLAIM, claimWord(this.gen, C, 0));
    Atomics.store(ctl, GEN, this.gen);
    Atomics.notify(ctl, GEN);
    this.scheduleRelease();

    // The main thread claims chunks like any worker. If one of its chunks fails, it goes on
    // claiming (without running) the rest, so that the job is complete, and no worker is still
    // inside it, when the error is thrown.
    const f = arena.fn(pass.fn);
    const start = pass.tasks ? taskStart : chunkStart;
    let failure: unknown = null;
    for (;;) {
      const w = Atomics.load(ctl, CLAIM);
      const c = w & 1023;
      if (c >= C) break;
      if (Atomics.compareExchange(ctl, CLAIM, w, w + 1) !== w) continue;
      if (failure === null) {
        try {
          results[c] = f(start(pass.rows, C, c), start(pass.rows, C, c + 1), pass.parts + c * pass.partBytes, ...pass.args);
        } catch (e) {
          failure = e;
        }
      }
      Atomics.add(ctl, DONE, 1);
    }
    // The workers' last chunks end soon: poll for them first, then sleep (or, on a thread that
    // may not sleep, a page's main thread, go on polling).
    for (let spin = 0; spin < SPIN && Atomics.load(ctl, DONE) < C; spin++);
    const deadline = Date.now() + 600_000;
    const sleep = Atomics.load(ctl, DONE) < C && platform().canBlock();
    for (let done = Atomics.load(ctl, DONE); done < C; done = Atomics.load(ctl, DONE)) {
      if ((sleep ? Atomics.wait(ctl, DONE, done, 1000) === 'timed-out' : true) && Date.now() > deadline) {
        throw new Error('a kernel worker thread did not finish its chunk within 10 minutes');
      }
    }
    if (failure !== null) throw failure;
    if (Atomics.load(ctl, ERROR) !== 0) {
      const messages: string[] = [];
      for (const w of this.workers) messages.push(...w.handle.failures());
      throw new Error(`a kernel worker thread failed: ${messages.join('; ')}`);
    }
    return Float64Array.from(results.subarray(0, C));
  }

  /**
   * Once the event loop turns (the synchronous work that posted jobs is over), tells every worker to
   * drop the memories it was sent, so that they can be garbage-collected.
   */
  private scheduleRelease(): void {
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    platform().soon(() => {
      this.releaseScheduled = false;
      for (const w of this.workers) {
        w.handle.send({ release: true });
        w.sent = [];
      }
      // A job that nobody can claim (next = C), only to wake the workers.
      this.gen = (this.gen + 1) & 0xffff;
      Atomics.store(this.ctl, CLAIM, claimWord(this.gen, 1, 1));
      Atomics.store(this.ctl, GEN, this.gen);
      Atomics.notify(this.ctl, GEN);
    });
  }
}

let shared: Pool | null = null;

/**
 * The process-wide pool with up to `workers` workers, or null when no thread can be started (or
 * share memory with this one: a page that is not cross-origin isolated).
 */
function pool(workers: number): Pool | null {
  if (shared === null) {
    if (!platform().canShareMemory()) return null;
    shared = new Pool();
  }
  return shared.grow(workers) > 0 ? shared : null;
}

/**
 * Gets ready for a large fit ahead of time, for example while its data file is being read: starts
 * the worker threads (they take tens of milliseconds to boot, then compile the kernels), and has
 * this thread compile the kernels too. Optional: without it, the first fit pays for both.
 */
export function warmUp(threads: number = defaultThreads()): void {
  if (threads > 1) pool(Math.min(threads, MAX_CHUNKS) - 1);
  warmKernels();
}

/**
 * Starts worker threads until `threads` threads (this one included, at most MAX_CHUNKS) can share
 * a pass, and waits until they run; returns how many threads can (1 when no worker can start, as
 * in a page that is not cross-origin isolated). A browser starts workers only between tasks, so
 * this is how a page or worker gets them before synchronous work (ready()).
 */
export async function startWorkers(threads: number): Promise<number> {
  const workers = Math.min(Math.max(1, Math.floor(threads)), MAX_CHUNKS) - 1;
  if (workers < 1) return 1;
  const p = pool(workers);
  return p === null ? 1 : 1 + (await p.started(workers));
}

/** The worker threads started so far in this thread's pool, and the chunks of passes they have run. */
export function poolStats(): { workers: number; workerChunks: number } {
  return shared === null ? { workers: 0, workerChunks: 0 } : shared.stats();
}
