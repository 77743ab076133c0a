/** Text order shared by categorical levels and class labels. */

/**
 * Compares two strings by the bytes of their UTF-8 encodings, which is the order of their Unicode
 * code points (UTF-16 code-unit order differs for characters above U+FFFF).
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–U+DFFF) stands for a code point above U+FFFF: it sorts after every
    // other unit, which code-unit order gets wrong only against U+E000–U+FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
