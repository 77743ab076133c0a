/**
 * The global Worker constructor of browsers (TypeScript declares it only in its DOM library, which
 * this Node.js-first project does not load; Node.js has no global Worker, hence `| undefined`).
 * fitAsync.ts calls it as `new Worker(new URL('./fitWorker.js', import.meta.url), …)`, the form
 * that Vite, webpack 5 and Parcel recognize and bundle as a worker entry.
 */
declare var Worker: (new (url: string | URL, options?: { type?: 'classic' | 'module'; name?: string }) => import('../platform/browserGlobals.js').WebWorker) | undefined;
