/**
 * The Web Worker that fitAsync starts in a browser (`new Worker(new URL('./fitWorker.js',
 * import.meta.url), { type: 'module' })`): it serves fit requests (fitServer.ts).
 */
import { serveFits } from './fitServer.js';

serveFits();
