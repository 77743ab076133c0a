import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/plot/render.js';
import { chartGallery } from './gallery.js';
import { placedTexts, textProblems } from './svgText.js';

// Every chart kind rendered to SVG: each text (title, axis title, label, legend entry, cell value)
// must be whole (vega shortens a text that exceeds its limit with "…") and lie inside the picture,
// no two texts may overlap, and nothing drawn may leave the picture. Text boxes are measured by
// resvg with real glyphs (svgText.ts). Before this test, the reliability diagram's legend read
// "perfectly calibrat…", which fails it.

describe.each(chartGallery())('$name', ({ spec }) => {
  it('has every text whole, inside the picture, and apart from the others', async () => {
    const svg = await renderSvg(spec);
    expect(placedTexts(svg).length).toBeGreaterThan(3);
    expect(textProblems(svg)).toEqual([]);
  });
});
