/**
 * A small PNG encoder for indexed-colour images (palette of up to 256 RGBA colours), in plain
 * TypeScript so chart specifications can embed rasters in browsers as well as in Node.
 *
 * Format (PNG 1.2 / RFC 2083): signature, IHDR (8-bit indexed), PLTE, tRNS (alpha per palette
 * entry), one IDAT holding a zlib stream (RFC 1950) of the filtered rows, IEND; each chunk ends
 * with the CRC-32 of its type and data. Rows use filter 2 ("Up": each byte minus the byte above,
 * mod 256), so rows equal to the row above become zeros. The deflate stream (RFC 1951) is one
 * block of fixed Huffman codes whose only back-references are runs (distance 1, lengths 3…258):
 * images of a few flat regions — what this is for — shrink to a few bytes per row.
 */

/** An indexed image: `pixels[r·width + c]` is the palette index of row r (top first), column c. */
export interface IndexedImage {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Colours as [r, g, b, a], each 0…255. */
  palette: ReadonlyArray<readonly [number, number, number, number]>;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected), as PNG chunks use. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 (RFC 1950): s1 = 1 + Σ bytes, s2 = Σ s1 after each byte, both mod 65521; s2·65536 + s1. */
function adler32(bytes: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < bytes.length; i++) {
    s1 = (s1 + bytes[i]!) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

/** Writes bits least-significant first, as deflate packs them. */
class BitWriter {
  private out: number[] = [];
  private acc = 0;
  private n = 0;
  /** The `count` low bits of `value`, least significant first. */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flush();
    }
  }
  /** A Huffman code: its `count` bits, most significant first (RFC 1951 §3.1.1). */
  code(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
  }
  private flush(): void {
    this.out.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
  finish(): Uint8Array {
    if (this.n > 0) this.flush();
    return Uint8Array.from(this.out);
  }
}

// Length codes 257…285: base lengths and extra bits (RFC 1951 §3.2.5).
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

/** Fixed Huffman code of literal/length symbol s (RFC 1951 §3.2.6). */
function writeSymbol(w: BitWriter, s: number): void {
  if (s < 144) w.code(0x30 + s, 8);
  else if (s < 256) w.code(0x190 + s - 144, 9);
  else if (s < 280) w.code(s - 256, 7);
  else w.code(0xc0 + s - 280, 8);
}

/** A raw deflate stream: one final block, fixed Huffman codes, runs as distance-1 copies. */
function deflateRuns(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1); // BFINAL
  w.bits(1, 2); // BTYPE = 01, fixed Huffman codes
  let i = 0;
  while (i < data.length) {
    let run = 0;
    if (i > 0) while (run < 258 && i + run < data.length && data[i + run] === data[i - 1]) run++;
    if (run >= 3) {
      let k = LENGTH_BASE.length - 1;
      while (LENGTH_BASE[k]! > run) k--;
      writeSymbol(w, 257 + k);
      w.bits(run - LENGTH_BASE[k]!, LENGTH_EXTRA[k]!);
      w.code(0, 5); // distance code 0: distance 1
      i += run;
    } else {
      writeSymbol(w, data[i]!);
      i++;
    }
  }
  writeSymbol(w, 256); // end of block
  return w.finish();
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes an indexed image as PNG bytes. */
export function encodeIndexedPng(image: IndexedImage): Uint8Array {
  const { width, height, pixels, palette } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodeIndexedPng: width and height must be positive integers, got ${width}×${height}`);
  }
  if (pixels.length !== width * height) throw new RangeError(`encodeIndexedPng: ${pixels.length} pixels for a ${width}×${height} image`);
  if (palette.length < 1 || palette.length > 256) throw new RangeError(`encodeIndexedPng: the palette has ${palette.length} colours; 1 to 256 are possible`);
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i]! >= palette.length) throw new RangeError(`encodeIndexedPng: pixel ${i} is colour ${pixels[i]}, beyond the palette of ${palette.length}`);
  }
  const stride = width + 1;
  const filtered = new Uint8Array(stride * height);
  for (let r = 0; r < height; r++) {
    filtered[r * stride] = 2; // filter type Up
    for (let c = 0; c < width; c++) {
      const above = r > 0 ? pixels[(r - 1) * width + c]! : 0;
      filtered[r * stride + 1 + c] = (pixels[r * width + c]! - above) & 0xff;
    }
  }
  const deflated = deflateRuns(filtered);
  const zlib = new Uint8Array(2 + deflated.length + 4);
  zlib[0] = 0x78; // CMF: deflate, 32 KiB window
  zlib[1] = 0x01; // FLG: no dictionary; (0x78·256 + 0x01) is a multiple of 31
  zlib.set(deflated, 2);
  new DataView(zlib.buffer).setUint32(2 + deflated.length, adler32(filtered));

  const ihdr = new Uint8Array(13);
  const h = new DataView(ihdr.buffer);
  h.setUint32(0, width);
  h.setUint32(4, height);
  ihdr.set([8, 3, 0, 0, 0], 8); // bit depth 8, colour type 3 (indexed), deflate, adaptive filters, no interlace
  const plte = Uint8Array.from(palette.flatMap(([r, g, b]) => [r, g, b]));
  const trns = Uint8Array.from(palette.map(([, , , a]) => a));
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('tRNS', trns), chunk('IDAT', zlib), chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648 §4, with padding). */
export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += BASE64[(n >>> 18) & 63]! + BASE64[(n >>> 12) & 63]!;
    s += i + 1 < bytes.length ? BASE64[(n >>> 6) & 63]! : '=';
    s += i + 2 < bytes.length ? BASE64[n & 63]! : '=';
  }
  return s;
}

/** The image as a `data:image/png;base64,…` URL. */
export function pngDataUrl(image: IndexedImage): string {
  return `data:image/png;base64,${base64(encodeIndexedPng(image))}`;
}
