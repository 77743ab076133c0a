import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/plot/render.js';
import { parseTransform, placedTexts, textProblems } from './svgText.js';

// The clipping test's own instruments, checked on pictures whose answer is known.

const svgOf = (body: string, width = 200, height = 100) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="white"/>${body}</svg>`;

describe('text geometry', () => {
  it('composes translate and rotate as SVG does', () => {
    const m = parseTransform('translate(10,20) rotate(-90) translate(0,-2)');
    // (x, y) ↦ translate(10,20)·rotate(−90°)·(x, y − 2): the local x axis points up the page.
    expect(m.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0, -1, 1, 0, 8, 20]);
  });

  it('places a text by its groups and anchor, with glyph extents', () => {
    const [t] = placedTexts(svgOf('<g transform="translate(50,40)"><text transform="translate(10,5)" text-anchor="middle" font-size="10px" font-family="sans-serif">WWW</text></g>'));
    // Anchored in the middle at (60, 45): centred there horizontally, glyphs above the baseline.
    expect((t!.box.x0 + t!.box.x1) / 2).toBeCloseTo(60, 0);
    expect(t!.box.x1 - t!.box.x0).toBeGreaterThan(20);
    expect(t!.box.y1).toBeLessThanOrEqual(45.5);
    expect(t!.box.y0).toBeLessThan(39);
  });

  it('a rotated text is tall, not wide', () => {
    const [t] = placedTexts(svgOf('<text transform="translate(20,50) rotate(-90)" text-anchor="middle" font-size="11px">a long vertical title</text>'));
    expect(t!.box.y1 - t!.box.y0).toBeGreaterThan(5 * (t!.box.x1 - t!.box.x0));
  });
});

describe('textProblems finds what is wrong', () => {
  it('a shortened text, a text out of the picture, and overlapping texts', () => {
    const problems = textProblems(svgOf(
      '<text transform="translate(5,20)" font-size="10px">perfectly calibrat…</text>'
      + '<text transform="translate(180,60)" font-size="10px">far too long for the edge</text>'
      + '<text transform="translate(5,90)" font-size="10px">one</text><text transform="translate(8,92)" font-size="10px">two</text>',
    ));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe('"perfectly calibrat…" is shortened');
    expect(problems[1]).toMatch(/^"far too long for the edge" at x 180\.\d…\d+\.\d, y [\d.]+…[\d.]+ leaves the 200×100 picture$/);
    expect(problems[2]).toMatch(/^"one" at .* overlaps "two" at /);
    expect(problems[3]).toMatch(/^the drawing spans .*, beyond the 200×100 picture$/);
  });

  it("a chart whose layout ignores its axis labels (autosize 'none', no padding) is caught", async () => {
    const svg = await renderSvg({
      autosize: { type: 'none' }, padding: 0, width: 200, height: 100,
      data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative', title: 'an axis title' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(textProblems(svg).some((p) => p.startsWith('"an axis title" at') && p.endsWith('leaves the 200×100 picture'))).toBe(true);
  });
});
