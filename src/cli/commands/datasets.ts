import { join } from 'node:path';
import { bundledDatasets, datasetsDir, readCsv } from '../../index.js';
import { table } from '../report.js';

export const datasetsCommand = {
  command: 'datasets',
  describe: 'list the bundled data sets (usable as --data <name> from any folder)',
  builder: {},
  handler: () => {
    const rows = bundledDatasets().map((b) => {
      const t = readCsv(join(datasetsDir(), b.file));
      const target = t.columns.find((c) => c.name === b.target)!;
      const classes = target.kind === 'categorical' ? target.levels.length : new Set(target.values).size;
      return [b.name, String(t.n), String(t.columns.length - 1), String(classes), b.target, `${b.description}; ${b.source} (${b.licence})`];
    });
    process.stdout.write(`${table(['name', 'rows', 'features', 'classes', 'target', 'description and source'], rows, '  ', 'lrrrll')}\n`);
  },
};
