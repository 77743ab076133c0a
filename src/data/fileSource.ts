import { nodeBuiltin } from '../platform/nodeBuiltins.js';
import { DataError } from './errors.js';
import type { ByteSource } from './source.js';

/**
 * A file as a ByteSource (Node.js). Refuses, with a DataError naming the file, what cannot be a
 * CSV file: a missing or unreadable path, a folder, an empty file, and a file whose first 64 KiB
 * hold a NUL byte (a binary file; text encodings other than UTF-16 never contain one). Reading
 * after `close` opens the file again. Node.js only (node:fs, reached through the platform layer);
 * elsewhere an Error saying to use readCsvSource(bytesSource(name, bytes)).
 */
export function fileSource(path: string): ByteSource {
  const { closeSync, fstatSync, openSync, readSync } = nodeBuiltin(
    'node:fs', `reading the file ${path}`, 'in a browser, read the bytes (a File\'s arrayBuffer(), fetch) and use readCsvSource(bytesSource(name, bytes))',
  );
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new DataError(path, 'is a folder, not a CSV file');
    throw new DataError(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`);
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new DataError(path, 'is a folder, not a CSV file');
    const head = new Uint8Array(Math.min(65536, st.isFile() ? st.size : 65536));
    const got = readSync(fd, head, 0, head.length, 0);
    if (head.subarray(0, got).includes(0)) throw new DataError(path, 'does not look like a text CSV file (it contains NUL bytes)');
    const size = st.size;
    return {
      name: path,
      size,
      read(into, position) {
        try {
          // Read again after close (to locate a row for a message): the file is opened anew.
          if (!open) {
            fd = openSync(path, 'r');
            open = true;
          }
          return readSync(fd, into, 0, into.length, position);
        } catch (e) {
          throw new DataError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
      },
      close,
    };
  } catch (e) {
    close();
    if (e instanceof DataError) throw e;
    throw new DataError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
