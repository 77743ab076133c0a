import { join } from 'node:path';
import { bundledDatasets, datasetsDir, readCsv } from '../../index.js';
import { table } from '../report.js';

export const datasetsCommand = {
  command: 'datasets',
  describe: 'list the bundled data sets (usable as --data <name> from any folder)',
  builder: {},
  handler: () => {
    const rows = bundledDatasets().map((b) => {
      const ds = readCsv(join(datasetsDir(), b.file), { target: b.target });
      const classes = new Set(ds.y).size;
      return [b.name, String(ds.n), String(ds.d), String(classes), b.target, `${b.description}; ${b.source} (${b.licence})`];
    });
    process.stdout.write(`${table(['name', 'rows', 'features', 'classes', 'target', 'description and source'], rows, '  ', 'lrrrll')}\n`);
  },
};
