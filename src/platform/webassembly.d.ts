/**
 * The asynchronous compile of the WebAssembly JavaScript API (src/backend/webassembly.d.ts declares
 * the synchronous part; TypeScript declares all of it only in its DOM library). Browsers compile a
 * module of more than a few KiB on a page's main thread only this way.
 * See https://webassembly.github.io/spec/js-api/#dom-webassembly-compile.
 */
declare namespace WebAssembly {
  function compile(bytes: BufferSource): Promise<Module>;
}
