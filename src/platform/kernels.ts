import { platform } from './current.js';
import type { KernelSource } from './types.js';

/**
 * The compiled kernel module of this thread: compiled on first use from the bytes the platform
 * gives without waiting (Node.js reads dist/kernels.wasm), or loaded beforehand by ready() (a
 * browser fetches it; a worker started by fitAsync receives it compiled).
 */

let source: KernelSource | null = null;
let compiled: WebAssembly.Module | null = null;
let loading: Promise<WebAssembly.Module> | null = null;

/**
 * Where to load the compiled kernels (kernels.wasm) from, instead of the default (the file beside
 * the library: dist/kernels.wasm, or dist/browser/kernels.wasm for the browser bundle): a URL
 * (fetched in a browser; in Node.js a file: URL), a file path (Node.js), or the bytes themselves.
 * For bundlers that do not copy the file (esbuild): copy `node_modules/logreg/dist/kernels.wasm`
 * to your output and pass its URL. Call it before `ready()` and the first fit; afterwards it is an
 * Error (the kernels are loaded once per thread).
 */
export function setKernelSource(where: KernelSource): void {
  if (compiled !== null || loading !== null) throw new Error('setKernelSource must be called before the kernels are loaded (before ready() and the first fit)');
  source = where;
}

/** Uses a module compiled elsewhere (fitAsync sends the page's module to its worker). @internal */
export function adoptKernelModule(module: WebAssembly.Module): void {
  compiled ??= module;
}

/** The module's bytes were not WebAssembly (a server's HTML error page served with status 200, say). */
function invalid(e: unknown): Error {
  return new Error(`the kernels are not a valid WebAssembly module (${(e as Error).message}); check the URL given to setKernelSource`);
}

/** The compiled kernels, compiled now if the platform has the bytes at hand; else an Error saying to await ready(). @internal */
export function kernelModuleSync(): WebAssembly.Module {
  if (compiled !== null) return compiled;
  const bytes = platform().kernelBytesSync(source);
  if (bytes === null) {
    throw new Error('the kernels are not loaded yet: in a browser, await ready() once before the first fit (fitAsync does it for you)');
  }
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch (e) {
    throw invalid(e);
  }
  return compiled;
}

/** The compiled kernels, loaded and compiled asynchronously (once; a failed load may be retried). @internal */
export function loadKernelModule(): Promise<WebAssembly.Module> {
  if (compiled !== null) return Promise.resolve(compiled);
  loading ??= (async () => {
    try {
      const bytes = await platform().kernelBytes(source);
      let module: WebAssembly.Module;
      try {
        module = await WebAssembly.compile(bytes);
      } catch (e) {
        throw invalid(e);
      }
      compiled ??= module;
      return compiled;
    } catch (e) {
      loading = null;
      throw e;
    }
  })();
  return loading;
}
