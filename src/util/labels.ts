import { compareUtf8 } from './text.js';

/**
 * Class labels and their order, shared by the metrics and the models (docs/architecture.md: classes are sorted
 * numerically when every label is a number, otherwise as strings).
 */

/** A class label: a finite number or a string. A number 1 and a string "1" are different labels. */
export type Label = number | string;

/**
 * The distinct labels of `values`, sorted: numerically when every label is a number, otherwise
 * every label compared as a string by its UTF-8 bytes (code-point order, as categorical levels are
 * sorted; String(2) for a number). A NaN label is a RangeError naming its index.
 */
export function sortedUniqueLabels(values: ArrayLike<Label>): Label[] {
  const seen = new Set<Label>();
  let allNumbers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) throw new RangeError(`label ${i} is NaN; a label must be a number or a string`);
    } else {
      allNumbers = false;
    }
    seen.add(v);
  }
  const out = [...seen];
  if (allNumbers) return (out as number[]).sort((a, b) => a - b);
  return out.sort((a, b) => compareUtf8(String(a), String(b)));
}

/** Map from label to class index (position in `classes`). */
export function labelIndex(classes: readonly Label[]): Map<Label, number> {
  return new Map(classes.map((c, k) => [c, k]));
}
