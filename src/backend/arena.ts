import { collectGarbage } from '../platform/gc.js';
import { kernelModuleSync } from '../platform/kernels.js';

/**
 * The WebAssembly side of the backend: the compiled kernel module and the arenas of linear memory
 * its functions work in.
 *
 * The module (dist/kernels.wasm, compiled by `npm run build` from the AssemblyScript sources in the
 * wasm/ folders of src/backend, src/loss and src/data; entry src/wasm/index.ts; loaded by the
 * platform layer, src/platform/kernels.ts) imports its memory,
 * so one compiled module serves every arena and every thread. An arena is a shared
 * WebAssembly.Memory (its buffer is a SharedArrayBuffer, so worker threads read it without a copy)
 * with a stack allocator: a data set is placed in it once, the kernels address everything by byte
 * offset, and work on the data takes memory above it and gives it back (mark/release) when done.
 * WebAssembly memory never shrinks; an arena is garbage-collected with the last object that refers
 * to it.
 */

const PAGE = 65536;
/** 4 GiB: the most a 32-bit WebAssembly memory can address. */
const MAX_PAGES = 65536;
/** Allocations are aligned to cache lines. */
const ALIGN = 64;

let compiled: { module: WebAssembly.Module; heapBase: number } | null = null;

/**
 * The compiled kernel module (src/platform/kernels.ts: compiled once, on first use in Node.js;
 * loaded by ready() beforehand in a browser) and the end of its static data (constant tables that
 * every instantiation writes at the bottom of the memory).
 */
function compiledKernels(): { module: WebAssembly.Module; heapBase: number } {
  if (compiled === null) {
    const module = kernelModuleSync();
    const probe = new WebAssembly.Instance(module, kernelImports(new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })));
    compiled = { module, heapBase: (probe.exports.heapBase as () => number)() };
  }
  return compiled;
}

/** The compiled kernel module. @internal */
export function kernelModule(): WebAssembly.Module {
  return compiledKernels().module;
}

/**
 * Has this thread's engine compile the kernels before real work arrives: runs the module's `warm`
 * export (every pass on small synthetic data) on a scratch memory of its own. The engine compiles
 * WebAssembly functions on first call and optimizes hot ones in the background; a fit that starts
 * cold pays about 10 ms for it. The worker threads do the same as they start (pool.ts).
 */
export function warmKernels(): void {
  const memory = new WebAssembly.Memory({ initial: 1 + WARM_PAGES, maximum: MAX_PAGES, shared: true });
  const inst = new WebAssembly.Instance(kernelModule(), kernelImports(memory));
  const warm = inst.exports.warm;
  if (typeof warm === 'function') warm(PAGE);
}

/** Pages of scratch the module's `warm` export gets (it needs WARM_BYTES, 64 KiB). */
export const WARM_PAGES = 1;

/** The exports of the kernel module: functions of numbers (pointers are byte offsets) to a number. */
export type KernelFunction = (...args: number[]) => number;

/** What the module needs from its host: the memory, and an abort hook (never called with --noAssert). */
function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: () => {
        throw new Error('a WebAssembly kernel aborted');
      },
    },
  };
}

/**
 * Bytes of kernel memory made (new arenas and growth) since the last forced collection. V8 does not
 * count WebAssembly memory toward heap growth, so after CHURN_LIMIT bytes the backend collects
 * garbage itself (platform/gc.ts): memory of arenas no longer referenced is then freed, and a loop
 * that makes an arena per call stays flat instead of growing without bound.
 */
let churn = 0;
const CHURN_LIMIT = 512 * 2 ** 20;

function noteNewMemory(bytes: number): void {
  churn += bytes;
  if (churn > CHURN_LIMIT) {
    churn = 0;
    collectGarbage();
  }
}

/** Arenas by the SharedArrayBuffers handed out for their memory, so a view finds its arena again. */
const arenaOfBuffer = new WeakMap<ArrayBufferLike, Arena>();
let nextId = 1;

/** A shared WebAssembly memory with a bump allocator and the kernel module instantiated over it. */
export class Arena {
  /** @internal */
  readonly memory: WebAssembly.Memory;
  /** Unique per process, so that worker threads can tell arenas apart. */
  readonly id: number;
  /** The allocation point; below the first one lie the module's constant tables (and 0, the null pointer). */
  private used: number;
  /** The most ever allocated: memory below it may hold old data, above it is still zero. */
  private highWater: number;
  private instance: WebAssembly.Instance | null = null;

  /**
   * An arena with room for `bytes` bytes of allocations (it grows on demand); or, with `adopt`, an
   * arena over another thread's arena memory (posted to this one) whose first `used` bytes are
   * taken (see Arena.adopt).
   * @internal
   */
  constructor(bytes = 0, adopt?: { memory: WebAssembly.Memory; used: number }) {
    const base = Math.ceil(Math.max(compiledKernels().heapBase, ALIGN) / ALIGN) * ALIGN;
    if (adopt !== undefined) {
      this.memory = adopt.memory;
      this.used = Math.max(base, Math.ceil(adopt.used / ALIGN) * ALIGN);
      // Nothing is known of the memory above `used`: allocations there are zeroed.
      this.highWater = this.memory.buffer.byteLength;
      this.id = nextId++;
      this.buffer();
      return;
    }
    this.used = base;
    this.highWater = base;
    const pages = Math.max(1, Math.ceil((bytes + base) / PAGE));
    if (pages > MAX_PAGES) throw tooLarge(bytes);
    noteNewMemory(pages * PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    this.id = nextId++;
    this.buffer();
  }

  /**
   * Reserves `bytes` bytes, growing the memory if needed; returns their byte offset. They are
   * zeroed unless `zeroed` is false (for buffers the kernels write before they read).
   */
  alloc(bytes: number, zeroed = true): number {
    const ptr = this.used;
    const end = ptr + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw tooLarge(end);
      noteNewMemory(pages * PAGE);
      this.memory.grow(pages);
    }
    if (zeroed && ptr < this.highWater) new Uint8Array(this.buffer(), ptr, Math.min(end, this.highWater) - ptr).fill(0);
    this.used = end;
    this.highWater = Math.max(this.highWater, end);
    return ptr;
  }

  /**
   * The arena memory of another thread (an arena's `memory` and `mark()` posted from there) as an
   * arena of this one, so that data placed in it there are read here in place, without a copy
   * (fitAsync hands large matrices to its worker so). The memory is shared: the other thread must
   * not change those data while this one uses them.
   * @internal
   */
  static adopt(memory: WebAssembly.Memory, used: number): Arena {
    return new Arena(0, { memory, used });
  }

  /** The allocation point, to give back everything allocated after it with `release`. */
  mark(): number {
    return this.used;
  }

  /**
   * Frees everything allocated since `mark` (stack order: the caller allocated last). For passes
   * over a caller's data, so that evaluating a model repeatedly does not grow the data's arena.
   */
  release(mark: number): void {
    if (mark < compiledKernels().heapBase || mark > this.used) throw new Error(`arena mark ${mark} is not below the allocation point ${this.used}`);
    this.used = mark;
  }

  /** The memory's current buffer, registered so that views of it find this arena. */
  private buffer(): SharedArrayBuffer {
    const buf = this.memory.buffer as unknown as SharedArrayBuffer;
    arenaOfBuffer.set(buf, this);
    return buf;
  }

  /** A Float64Array view of `length` values at byte offset ptr. */
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.buffer(), ptr, length);
  }

  /** An Int32Array view of `length` values at byte offset ptr. */
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.buffer(), ptr, length);
  }

  /** A Uint8Array view of `length` bytes at byte offset ptr. */
  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.buffer(), ptr, length);
  }

  /** A Uint32Array view of `length` values at byte offset ptr. */
  u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.buffer(), ptr, length);
  }

  /** A new zeroed float64 array of `length` values in this arena. */
  float64(length: number): { ptr: number; view: Float64Array } {
    const ptr = this.alloc(length * 8);
    return { ptr, view: this.f64(ptr, length) };
  }

  /** The kernel function `name`, on this arena's memory (main thread). */
  fn(name: string): KernelFunction {
    if (this.instance === null) this.instance = new WebAssembly.Instance(kernelModule(), kernelImports(this.memory));
    const f = this.instance.exports[name];
    if (typeof f !== 'function') throw new Error(`the kernel module has no function ${name}`);
    return f as KernelFunction;
  }
}

/** The arena a typed array lives in, or null when it is ordinary memory. */
export function arenaOf(view: ArrayBufferView): Arena | null {
  return arenaOfBuffer.get(view.buffer) ?? null;
}

/**
 * A zeroed Float64Array of `length` values in a fresh arena: memory that the kernels and worker
 * threads read without a copy, and that an objective can adopt (see arenaOf).
 */
export function arenaFloat64(length: number): Float64Array {
  const arena = new Arena(length * 8);
  return arena.float64(length).view;
}

function tooLarge(bytes: number): RangeError {
  return new RangeError(
    `the data need ${(bytes / 2 ** 30).toFixed(2)} GiB of kernel memory, more than the 4 GiB a WebAssembly memory can hold: stream the rows instead (logreg train --memory-limit; streamFit in logreg/engines)`,
  );
}

/**
 * X's storage in kernel memory: X itself when it already lives in an arena (no copy), else a copy
 * in a new arena with room for `extraBytes` more.
 */
export function placeMatrix(data: Float64Array, extraBytes = 0): { arena: Arena; ptr: number } {
  const own = arenaOf(data);
  if (own !== null) return { arena: own, ptr: data.byteOffset };
  const arena = new Arena(data.length * 8 + extraBytes);
  const { ptr, view } = arena.float64(data.length);
  view.set(data);
  return { arena, ptr };
}
