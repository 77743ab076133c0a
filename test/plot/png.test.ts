import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { base64, crc32, encodeIndexedPng, type IndexedImage } from '../../src/plot/png.js';
import { chunks, decodeIndexed, PNG_SIGNATURE } from './pngDecode.js';
import { createRng } from '../../src/util/random.js';

// The hand-written PNG encoder, checked by independent decoders: Node's zlib for the compressed
// rows, and resvg for the whole file.

function randomImage(width: number, height: number, colours: number, seed: number, runs: boolean): IndexedImage {
  const rng = createRng(seed);
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = runs && i > 0 && rng.next() < 0.9 ? pixels[i - 1]! : rng.int(colours);
  const palette = Array.from({ length: colours }, (_, k) => [(k * 37) % 256, (k * 91) % 256, (k * 53) % 256, k === 0 ? 0 : 255] as const);
  return { width, height, pixels, palette };
}

describe('encodeIndexedPng', () => {
  it('CRC-32 of "IEND" is the constant every PNG ends with', () => {
    expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
  });

  it('base64 agrees with Node for every length mod 3', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) % 256);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it.each([
    ['noise', randomImage(37, 23, 7, 1, false)],
    ['runs', randomImage(300, 40, 4, 2, true)],
    ['one colour, runs longer than 258', { width: 1000, height: 3, pixels: new Uint8Array(3000).fill(1), palette: [[0, 0, 0, 0], [10, 20, 30, 255]] } as IndexedImage],
  ])('zlib inflates it back to the pixels (%s); chunks and CRCs are right', (_, image) => {
    const png = encodeIndexedPng(image);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    expect(cs.every((c) => c.crcOk)).toBe(true);
    expect(cs[0]!.data.readUInt32BE(0)).toBe(image.width);
    expect(cs[0]!.data.readUInt32BE(4)).toBe(image.height);
    expect([...cs[0]!.data.subarray(8)]).toEqual([8, 3, 0, 0, 0]);
    expect(cs[1]!.data.length).toBe(3 * image.palette.length);
    expect(Array.from(decodeIndexed(png).pixels)).toEqual(Array.from(image.pixels));
  });

  it('resvg draws it with the palette colours and transparency', () => {
    const image: IndexedImage = {
      width: 4, height: 2, pixels: Uint8Array.from([1, 1, 2, 2, 0, 0, 2, 2]),
      palette: [[255, 255, 255, 0], [200, 30, 40, 255], [10, 120, 250, 255]],
    };
    const url = `data:image/png;base64,${base64(encodeIndexedPng(image))}`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20"><rect width="40" height="20" fill="rgb(0,255,0)"/><image xlink:href="${url}" width="40" height="20" preserveAspectRatio="none" style="image-rendering:pixelated"/></svg>`;
    // imageRendering 1: nearest-neighbour scaling, so each image pixel is a flat 10×10 block.
    const px = new Resvg(svg, { imageRendering: 1 }).render().pixels;
    const rgba = (x: number, y: number) => [...px.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 4)];
    expect(rgba(5, 5)).toEqual([200, 30, 40, 255]);
    expect(rgba(35, 5)).toEqual([10, 120, 250, 255]);
    expect(rgba(5, 15)).toEqual([0, 255, 0, 255]); // transparent pixel: the green background shows
  });

  it('refuses a pixel beyond the palette', () => {
    expect(() => encodeIndexedPng({ width: 1, height: 1, pixels: Uint8Array.of(2), palette: [[0, 0, 0, 255]] }))
      .toThrow(new RangeError('encodeIndexedPng: pixel 0 is colour 2, beyond the palette of 1'));
  });
});
