/**
 * Where the compiled kernels are by default: dist/kernels.wasm of the package, found from this
 * module's own location (src/platform/ under tests, dist/platform/ when built; both are two levels
 * below the package root). Written as `new URL('literal', import.meta.url)` so that bundlers that
 * understand it (Vite, webpack 5, Parcel) copy the file into their output and rewrite the URL;
 * the build of dist/browser/ rewrites it to './kernels.wasm', the copy beside the bundle
 * (scripts/build.mjs). Elsewhere, setKernelSource says where the file is.
 */
export function defaultKernelUrl(): URL {
  return new URL('../../dist/kernels.wasm', import.meta.url);
}
