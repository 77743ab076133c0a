import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confusionHeatmap, decisionRegions, lineChart, reliabilityChart, rocChart } from '../../src/plot/charts.js';
import { renderSvg } from '../../src/plot/render.js';
import { logreg, tempDir } from '../helpers/cli.js';

describe('charts render to SVG with their titles, axis titles and legends', () => {
  it('line chart with a legend of both series', async () => {
    const svg = await renderSvg(lineChart([{ name: 'alpha', x: [1, 2], y: [3, 4] }, { name: 'beta', x: [1, 2], y: [2, 1] }], {
      title: 'T1', xTitle: 'the x axis', yTitle: 'the y axis', logY: true, legendTitle: 'which',
    }));
    for (const text of ['T1', 'the x axis', 'the y axis', 'alpha', 'beta', 'which']) expect(svg).toContain(text);
  });
  it('ROC, reliability, heat map and decision regions', async () => {
    const svgs = await Promise.all([
      renderSvg(rocChart([0, 0.5, 1], [0, 0.9, 1], 0.95, 'R')),
      renderSvg(reliabilityChart([0.1, 0.9], [0.2, 0.8], 'C')),
      renderSvg(confusionHeatmap(['a', 'b'], [[3, 1], [0, 4]], 'M')),
      renderSvg(decisionRegions([{ x: 0, y: 0, label: 'a' }], [{ x: 0.1, y: 0.1, label: 'a' }], { title: 'D', xTitle: 'f1', yTitle: 'f2', step: 1 })),
    ]);
    expect(svgs[0]).toContain('AUC 0.950');
    expect(svgs[0]).toContain('false positive rate');
    expect(svgs[1]).toContain('perfectly calibrated');
    expect(svgs[2]).toContain('predicted class');
    expect(svgs[2]).toContain('>4<');
    expect(svgs[3]).toContain('f2');
  });
});

describe('logreg evaluate --plots', () => {
  it('writes the ROC, calibration and confusion pictures and names them', () => {
    const dir = tempDir();
    const model = join(dir, 'm.json');
    expect(logreg(['train', '--data', 'breast-cancer', '--standardize', '--out', model, '--quiet']).status).toBe(0);
    const plots = join(dir, 'plots');
    const r = logreg(['evaluate', '--model', model, '--data', 'breast-cancer', '--plots', plots]);
    expect(r.status).toBe(0);
    for (const f of ['roc.svg', 'calibration.svg', 'confusion.svg']) {
      expect(existsSync(join(plots, f))).toBe(true);
      expect(r.stdout).toContain(join(plots, f));
    }
    expect(readFileSync(join(plots, 'roc.svg'), 'utf8')).toContain('true positive rate');
  });
  it('a file given as --plots is one line naming the option', () => {
    const dir = tempDir();
    const model = join(dir, 'm.json');
    logreg(['train', '--data', 'iris', '--out', model, '--quiet']);
    const r = logreg(['evaluate', '--model', model, '--data', 'iris', '--plots', model]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`logreg: --plots ${model} is a file, not a folder\n`);
  });
});
