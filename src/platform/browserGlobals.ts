/**
 * The parts of a browser's global scope (a page or a Web Worker) that the browser platform uses,
 * declared here because the project compiles without TypeScript's DOM library (a Node.js library
 * should not pull it in). Every member is optional or checked before use: the same code also
 * loads in Node.js, where most of them do not exist.
 */

/** A dedicated Web Worker, as its creator sees it. */
export interface WebWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault?: () => void }) => void): void;
  terminate(): void;
}

/** The global scope of a page or a worker. */
export interface BrowserScope {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string | URL, options?: { type?: 'classic' | 'module'; name?: string }) => WebWorker;
  Blob?: new (parts: string[], options?: { type?: string }) => object;
  fetch?: (url: string | URL) => Promise<{ ok: boolean; status: number; statusText: string; arrayBuffer(): Promise<ArrayBuffer> }>;
  /** A worker's own name (`new Worker(url, { name })`); undefined on a page. */
  name?: string;
  /** Present in a worker's global scope only. */
  WorkerGlobalScope?: unknown;
  /** A worker's messages to its creator. */
  postMessage?: (message: unknown) => void;
  addEventListener?: (type: 'message', listener: (event: { data: unknown }) => void) => void;
}

/** The global scope, seen through BrowserScope. */
export const scope = globalThis as unknown as BrowserScope;

/** A blob: URL for a script given as text (URL.createObjectURL of a Blob). */
export function scriptUrl(source: string): string {
  if (scope.Blob === undefined) throw new Error('this runtime has no Blob, so it cannot start a worker from a script');
  const url = URL as unknown as { createObjectURL(blob: object): string };
  return url.createObjectURL(new scope.Blob([source], { type: 'text/javascript' }));
}
