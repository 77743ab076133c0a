/**
 * Text widths for chart layout, from font metrics. vega lays out axes, legends and titles by text
 * width; without a canvas (headless rendering) it guesses 0.8 em per character, about 1.6 times
 * the real width of lowercase text, which leaves wide gaps and shortens legend labels early.
 *
 * The table holds, for each character, the larger advance width of DejaVu Sans (the usual
 * "sans-serif" of Linux) and Liberation Sans (metrically Arial/Helvetica, that of Windows and
 * macOS), in thousandths of an em, rounded up, so a text measured here is at least as wide as in
 * either face. Made by test/plot/make_text_widths.py (fontTools 4.38). A character not in the
 * table counts 1 em, wider than any listed.
 */

const CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~–—·×≥≤±→←∞…πσ²³½¼é°µ";

/** Advance widths (1/1000 em) of CHARS, regular weight. */
const REGULAR = [
  318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637, 637, 637, 637, 637, 637,
  637, 637, 337, 337, 838, 838, 838, 557, 1016, 685, 687, 723, 771, 667, 611, 778, 752, 295, 500, 667, 558, 863, 749, 788,
  667, 788, 723, 667, 611, 732, 685, 989, 686, 667, 686, 391, 337, 391, 838, 557, 500, 613, 635, 550, 635, 616, 353, 635,
  634, 278, 278, 580, 278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838, 557,
  1000, 334, 838, 838, 838, 838, 1000, 1000, 834, 1000, 690, 634, 401, 401, 970, 970, 616, 500, 637,
];

/** Advance widths (1/1000 em) of CHARS, bold. */
const BOLD = [
  349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 611, 1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 557, 775, 638, 996, 837, 851,
  733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 557, 500, 675, 716, 593, 716, 679, 436, 716,
  712, 343, 343, 666, 343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838, 557,
  1000, 380, 838, 838, 838, 838, 1000, 1000, 834, 1000, 792, 779, 438, 438, 1036, 1036, 679, 500, 736,
];

const INDEX = new Map([...CHARS].map((c, i) => [c, i]));

/** Width in pixels of `text` set in a sans-serif face at `fontSize` px, bold or regular. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let em = 0;
  for (const c of text) {
    const i = INDEX.get(c);
    em += i === undefined ? 1000 : table[i]!;
  }
  return (em / 1000) * fontSize;
}
