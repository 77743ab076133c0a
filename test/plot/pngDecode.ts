import { inflateSync } from 'node:zlib';
import { crc32 } from '../../src/plot/png.js';

/**
 * Reads back the PNGs of src/plot/png.ts for tests: chunks with their CRC checked, and the
 * palette indices of the rows, inflated by Node's zlib (an independent decoder) and unfiltered.
 */

export interface Chunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function chunks(png: Uint8Array): Chunk[] {
  const b = Buffer.from(png);
  if (!PNG_SIGNATURE.every((v, i) => b[i] === v)) throw new Error('not a PNG signature');
  const out: Chunk[] = [];
  for (let at = 8; at < b.length;) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    const data = b.subarray(at + 8, at + 8 + length);
    out.push({ type, data, crcOk: b.readUInt32BE(at + 8 + length) === crc32(b.subarray(at + 4, at + 8 + length)) });
    at += 12 + length;
  }
  return out;
}

/** Width, height and palette indices (rows top first) of an 8-bit indexed PNG whose rows use filter None or Up. */
export function decodeIndexed(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const cs = chunks(png);
  const ihdr = cs.find((c) => c.type === 'IHDR')!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(cs.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  if (raw.length !== (width + 1) * height) throw new Error(`${raw.length} bytes of rows for ${width}×${height}`);
  const pixels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * (width + 1)]!;
    if (filter !== 0 && filter !== 2) throw new Error(`row ${r} uses filter ${filter}`);
    for (let c = 0; c < width; c++) {
      const v = raw[r * (width + 1) + 1 + c]!;
      pixels[r * width + c] = filter === 2 ? (v + (r > 0 ? pixels[(r - 1) * width + c]! : 0)) & 0xff : v;
    }
  }
  return { width, height, pixels };
}

/** The PNG bytes of a data:image/png;base64 URL. */
export function fromDataUrl(url: string): Uint8Array {
  const prefix = 'data:image/png;base64,';
  if (!url.startsWith(prefix)) throw new Error('not a PNG data URL');
  return Buffer.from(url.slice(prefix.length), 'base64');
}
