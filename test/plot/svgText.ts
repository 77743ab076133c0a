import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/**
 * Where the text of a vega SVG lands: every <text> element with its position composed through the
 * transforms of the groups around it, and its extent measured by rendering it alone with resvg
 * (real glyph outlines). Used by the clipping test; also renders whole SVGs to PNG.
 */

/** An axis-aligned box in SVG pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedText {
  text: string;
  fontSize: number;
  bold: boolean;
  box: Box;
}

/** Affine map [a, b, c, d, e, f]: (x, y) ↦ (a·x + c·y + e, b·x + d·y + f), SVG's matrix(). */
type Affine = [number, number, number, number, number, number];
const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

function multiply(m: Affine, n: Affine): Affine {
  return [
    m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** Parses an SVG transform list (translate, rotate, scale, matrix), applied left to right. */
export function parseTransform(attr: string | undefined): Affine {
  let m = IDENTITY;
  if (!attr) return m;
  for (const [, op, args] of attr.matchAll(/(\w+)\(([^)]*)\)/g)) {
    const v = args!.split(/[\s,]+/).filter((s) => s !== '').map(Number);
    let t: Affine;
    if (op === 'translate') t = [1, 0, 0, 1, v[0]!, v[1] ?? 0];
    else if (op === 'scale') t = [v[0]!, 0, 0, v[1] ?? v[0]!, 0, 0];
    else if (op === 'matrix') t = v as Affine;
    else if (op === 'rotate') {
      const r = (v[0]! * Math.PI) / 180;
      const [cx, cy] = [v[1] ?? 0, v[2] ?? 0];
      t = multiply(multiply([1, 0, 0, 1, cx, cy], [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]), [1, 0, 0, 1, -cx, -cy]);
    } else throw new Error(`unsupported transform ${op}`);
    m = multiply(m, t);
  }
  return m;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, k, v] of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[k!] = v!;
  return out;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The SVG's declared width and height. */
export function svgSize(svg: string): { width: number; height: number } {
  const a = attributes(/<svg[^>]*>/.exec(svg)![0]);
  return { width: Number(a.width), height: Number(a.height) };
}

// DejaVu Sans is what fontconfig gives for "sans-serif" here and among the widest common sans
// faces, so boxes measured with it are, if anything, larger than a browser's. Without it, resvg
// uses the system fonts (slower).
const DEJAVU = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];
export const FONT_OPTIONS: ResvgRenderOptions['font'] = DEJAVU.every((f) => existsSync(f))
  ? { loadSystemFonts: false, fontFiles: DEJAVU, sansSerifFamily: 'DejaVu Sans', defaultFontFamily: 'DejaVu Sans' }
  : { loadSystemFonts: true };

const measured = new Map<string, { left: number; right: number; top: number; bottom: number } | null>();

/**
 * Ink extent of `text` drawn at the origin with the given anchor, relative to the anchor point
 * (y down; the baseline at 0). null when no font could draw it.
 */
function measure(text: string, fontSize: number, bold: boolean, anchor: string, family: string): { left: number; right: number; top: number; bottom: number } | null {
  const key = JSON.stringify([text, fontSize, bold, anchor, family]);
  if (!measured.has(key)) {
    const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="400"><text x="2000" y="200" text-anchor="${anchor}" font-family="${family}" font-size="${fontSize}px" font-weight="${bold ? 'bold' : 'normal'}">${esc}</text></svg>`;
    const b = new Resvg(svg, { font: FONT_OPTIONS }).getBBox();
    measured.set(key, b ? { left: b.x - 2000, right: b.x + b.width - 2000, top: b.y - 200, bottom: b.y + b.height - 200 } : null);
  }
  return measured.get(key)!;
}

/**
 * Every <text> of a vega SVG with its box in SVG pixels. Positions compose the transforms of the
 * enclosing groups with the text's own transform and x/y; the extent is resvg's ink box of the
 * text set alone, or (without fonts) vega's own estimate, 0.8·fontSize per character wide and
 * from 0.8·fontSize above to 0.25·fontSize below the baseline.
 */
export function placedTexts(svg: string): PlacedText[] {
  const out: PlacedText[] = [];
  const stack: Affine[] = [IDENTITY];
  const re = /<(\/?)([a-zA-Z]+)((?:[^>"]|"[^"]*")*?)(\/?)>|([^<]+)/g;
  let pending: { m: Affine; a: Record<string, string>; text: string } | null = null;
  for (const [, close, name, rest, selfClose, content] of svg.matchAll(re)) {
    if (content !== undefined) {
      if (pending) pending.text += content;
      continue;
    }
    if (name === 'text') {
      if (close) {
        const { m, a, text } = pending!;
        pending = null;
        // A label vega hid (opacity 0: left out where it would overlap another) is not drawn.
        if (a.opacity !== undefined && Number(a.opacity) === 0) continue;
        const s = unescape(text);
        const fontSize = Number.parseFloat(a['font-size'] ?? '11');
        const bold = a['font-weight'] === 'bold' || Number(a['font-weight']) >= 600;
        const anchor = a['text-anchor'] ?? 'start';
        const ext = measure(s, fontSize, bold, anchor, a['font-family'] ?? 'sans-serif') ?? {
          left: -{ start: 0, middle: 0.5, end: 1 }[anchor]! * 0.8 * fontSize * s.length,
          right: (1 - { start: 0, middle: 0.5, end: 1 }[anchor]!) * 0.8 * fontSize * s.length,
          top: -0.8 * fontSize,
          bottom: 0.25 * fontSize,
        };
        const corners = [[ext.left, ext.top], [ext.right, ext.top], [ext.left, ext.bottom], [ext.right, ext.bottom]].map(([x, y]) => [
          m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5],
        ]);
        out.push({
          text: s, fontSize, bold,
          box: {
            x0: Math.min(...corners.map((c) => c[0]!)), x1: Math.max(...corners.map((c) => c[0]!)),
            y0: Math.min(...corners.map((c) => c[1]!)), y1: Math.max(...corners.map((c) => c[1]!)),
          },
        });
      } else {
        const a = attributes(rest!);
        const m = multiply(multiply(stack.at(-1)!, parseTransform(a.transform)), [1, 0, 0, 1, Number(a.x ?? 0), Number(a.y ?? 0)]);
        pending = { m, a, text: '' };
      }
      continue;
    }
    if (name === 'tspan') throw new Error('multi-line text (tspan) is not measured; keep chart texts on one line');
    if (close) {
      if (name === 'g') stack.pop();
    } else if (name === 'g' && !selfClose) {
      stack.push(multiply(stack.at(-1)!, parseTransform(attributes(rest!).transform)));
    }
  }
  return out;
}

/**
 * resvg's box around everything drawn (glyphs included), leaving out the white background rect
 * vega puts first; null when nothing is drawn.
 */
export function drawnBox(svg: string): Box | null {
  const b = new Resvg(svg.replace(/<rect width="[\d.]+" height="[\d.]+" fill="white"\/>/, ''), { font: FONT_OPTIONS }).getBBox();
  return b ? { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height } : null;
}

/** The SVG rendered to PNG bytes (scale 1), with the fonts above. */
export function renderPng(svg: string, zoom = 1): Buffer {
  return new Resvg(svg, { font: FONT_OPTIONS, fitTo: { mode: 'zoom', value: zoom } }).render().asPng();
}

/** Overlap of two boxes beyond half a pixel in both directions. */
function overlaps(a: Box, b: Box): boolean {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 0.5;
}

/**
 * What is wrong with the text of a rendered chart, one sentence per problem: a text shortened
 * with "…", a text reaching outside the picture, two texts overlapping, or anything drawn
 * (resvg's box of all marks and glyphs) outside the picture. Empty when all is well.
 */
export function textProblems(svg: string): string[] {
  const { width, height } = svgSize(svg);
  const texts = placedTexts(svg);
  const problems: string[] = [];
  const at = (b: Box) => `x ${b.x0.toFixed(1)}…${b.x1.toFixed(1)}, y ${b.y0.toFixed(1)}…${b.y1.toFixed(1)}`;
  for (const t of texts) {
    if (t.text.includes('…')) problems.push(`"${t.text}" is shortened`);
    if (t.box.x0 < 0 || t.box.y0 < 0 || t.box.x1 > width || t.box.y1 > height) problems.push(`"${t.text}" at ${at(t.box)} leaves the ${width}×${height} picture`);
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (overlaps(texts[i]!.box, texts[j]!.box)) problems.push(`"${texts[i]!.text}" at ${at(texts[i]!.box)} overlaps "${texts[j]!.text}" at ${at(texts[j]!.box)}`);
    }
  }
  const drawn = drawnBox(svg);
  if (drawn && (drawn.x0 < 0 || drawn.y0 < 0 || drawn.x1 > width || drawn.y1 > height)) problems.push(`the drawing spans ${at(drawn)}, beyond the ${width}×${height} picture`);
  return problems;
}
