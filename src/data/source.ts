/**
 * Where the bytes of a data file come from: read in windows, so that a file of any size (beyond
 * the 2 GiB a single JavaScript buffer can hold) is read without holding it whole. The file
 * implementation is Node's (fileSource.ts); `bytesSource` serves bytes already in memory (an
 * uploaded file in a browser, a test).
 */
export interface ByteSource {
  /** The name used in messages: a path as the user gave it, or a description. */
  readonly name: string;
  /** Total bytes. */
  readonly size: number;
  /** Copies up to into.length bytes starting at `position` into `into`; returns how many (0 at the end). */
  read(into: Uint8Array, position: number): number;
  /** Releases the underlying resource (idempotent). */
  close(): void;
}

/** A source over bytes in memory. */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read(into, position) {
      const n = Math.max(0, Math.min(into.length, bytes.length - position));
      into.set(bytes.subarray(position, position + n));
      return n;
    },
    close() {},
  };
}
