import type cliProgressTypes from 'cli-progress';
import { lazy } from '../util/lazy.js';
import type { IterationInfo } from '../optim/types.js';

const cliProgress = lazy<typeof cliProgressTypes>('cli-progress');

/**
 * A progress bar on stderr for fits that take more than a moment: it appears only after `delayMs`,
 * only when stderr is a terminal, and never under --quiet or --json.
 */
export function fitProgress(enabled: boolean, maxIter: number, delayMs = 400) {
  const active = enabled && process.stderr.isTTY === true;
  const t0 = Date.now();
  let bar: cliProgressTypes.SingleBar | null = null;
  return {
    onIteration(info: IterationInfo): void {
      if (!active) return;
      if (bar === null) {
        if (Date.now() - t0 < delayMs) return;
        bar = new (cliProgress().SingleBar)(
          {
            stream: process.stderr,
            format: 'fitting [{bar}] iteration {value}/{total}  J {objective}  |∇J| {grad}',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress().Presets.shades_classic,
        );
        bar.start(maxIter, 0, { objective: '', grad: '' });
      }
      bar.update(info.iteration, { objective: info.value.toPrecision(10), grad: info.gradNorm.toExponential(2) });
    },
    stop(): void {
      bar?.stop();
    },
  };
}
