import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormulaError, formatFormula, parseFormula, type FormulaNode } from '../../src/design/formula.js';
import { codeTerms, designColumns, expandFormula, type ColumnSchema, type ModelTerms } from '../../src/design/terms.js';

const columns: ColumnSchema[] = [
  { name: 'r', kind: 'numeric' },
  { name: 'a', kind: 'categorical' },
  { name: 'b', kind: 'categorical' },
  { name: 'c', kind: 'categorical' },
  { name: 'x', kind: 'numeric' },
  { name: 'y', kind: 'numeric' },
  { name: 'e f', kind: 'numeric' },
  { name: 'x.1', kind: 'numeric' },
];

// Formulas from the grammar, as text: names, C(), ".", unary and binary operators, parentheses;
// whitespace varies. 0/1 are added at the top level only (they may not sit under ":" or "*").
const sp = fc.constantFrom('', ' ', '  ');
const name = fc.constantFrom('a', 'b', 'c', 'x', 'y', '`e f`', 'x.1');
const leaf = fc.oneof({ weight: 6, arbitrary: name }, { weight: 2, arbitrary: name.map((n) => `C(${n})`) }, { weight: 1, arbitrary: fc.constant('.') });
const binary = (l: fc.Arbitrary<string>, ops: string[], r: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(l, sp, fc.constantFrom(...ops), sp, r).map((p) => p.join(''));
const { sum } = fc.letrec<{ sum: string; product: string; inter: string; unary: string; primary: string }>((tie) => ({
  sum: fc.oneof({ depthIdentifier: 'formula', maxDepth: 5 }, tie('product'), binary(tie('sum'), ['+', '-'], tie('product'))),
  product: fc.oneof({ depthIdentifier: 'formula', maxDepth: 5 }, tie('inter'), binary(tie('product'), ['*'], tie('inter'))),
  inter: fc.oneof({ depthIdentifier: 'formula', maxDepth: 5 }, tie('unary'), binary(tie('inter'), [':'], tie('unary'))),
  unary: fc.oneof({ depthIdentifier: 'formula', maxDepth: 5 }, { weight: 4, arbitrary: tie('primary') }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('-', '+'), tie('unary')).map((p) => p.join('')) }),
  primary: fc.oneof({ depthIdentifier: 'formula', maxDepth: 5 }, { weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: tie('sum').map((s) => `(${s})`) }),
}));
const formula = fc.tuple(
  fc.constantFrom('r ~ ', '~ ', 'r~'),
  fc.constantFrom('', '0 + ', '1 + ', '-1 + ', '- 0 + ', '(0) + '),
  sum,
  fc.constantFrom('', ' + 0', ' - 1', ' + (1)', ' - (0 + 1)'),
).map((p) => p.join(''));

type Outcome = { ok: ModelTerms } | { error: string };
/** The terms, or the error message without its position (positions differ between spellings). */
function outcome(text: string): Outcome {
  try {
    return { ok: expandFormula(parseFormula(text), columns) };
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    return { error: e.message.replace(/ at character \d+/, '') };
  }
}

function shape(node: FormulaNode): unknown {
  switch (node.kind) {
    case 'column':
    case 'categorical':
      return `${node.kind}:${node.name}`;
    case 'all':
      return '.';
    case 'intercept':
      return node.value;
    case 'unary':
      return [node.op, shape(node.operand)];
    case 'binary':
      return [shape(node.left), node.op, shape(node.right)];
  }
}

/** Terms as a set of factor-label sets, and the intercept. */
function termSet(m: ModelTerms): { intercept: boolean; terms: string[] } {
  return { intercept: m.intercept, terms: m.terms.map((t) => t.factors.map((f) => f.label).sort().join(':')).sort() };
}

const levelsOf = (): string[] => ['l0', 'l1', 'l2'];

describe('formula properties (fast-check)', () => {
  it('generated formulas parse; printing and parsing again gives the same tree and the same terms', () => {
    fc.assert(fc.property(formula, (text) => {
      const first = parseFormula(text);
      const printed = formatFormula(first);
      const again = parseFormula(printed);
      expect(shape(again.rhs)).toEqual(shape(first.rhs));
      expect(again.response).toBe(first.response);
      expect(formatFormula(again)).toBe(printed);
      expect(outcome(printed)).toEqual(outcome(text));
    }), { numRuns: 400 });
  });

  it('A*B expands to the same terms as A + B + A:B', () => {
    fc.assert(fc.property(sum, sum, (a, b) => {
      const left = outcome(`~ ${a}`);
      fc.pre('ok' in left && left.ok.terms.length > 0);
      expect(outcome(`r ~ (${a})*(${b})`)).toEqual(outcome(`r ~ (${a}) + (${b}) + (${a}):(${b})`));
    }), { numRuns: 300 });
  });

  it('the set of terms does not depend on the order of the operands of "+"', () => {
    const operands = fc.array(sum.map((s) => `(${s})`), { minLength: 1, maxLength: 5 });
    const withIntercept = fc.tuple(operands, fc.constantFrom([], ['0'], ['1'], ['-1']))
      .map(([ops, icpt]) => [...ops, ...icpt]);
    const twoOrders = withIntercept.chain((ops) => fc.tuple(fc.constant(ops), fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length })));
    fc.assert(fc.property(twoOrders, ([ops, shuffled]) => {
      const one = outcome(`r ~ ${ops.join(' + ')}`);
      const two = outcome(`r ~ ${shuffled.join(' + ')}`);
      expect('ok' in two).toBe('ok' in one);
      if ('ok' in one && 'ok' in two) expect(termSet(two.ok)).toEqual(termSet(one.ok));
    }), { numRuns: 300 });
  });

  it('design column names are distinct, and a full factorial is coded by contrasts throughout', () => {
    fc.assert(fc.property(formula, (text) => {
      const o = outcome(text);
      fc.pre('ok' in o);
      const names = designColumns(codeTerms((o as { ok: ModelTerms }).ok), levelsOf).map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'x', 'C(x)', 'C(y)'), { minLength: 1, maxLength: 5 }), (fs) => {
      const coded = codeTerms(expandFormula(parseFormula(`r ~ ${fs.join('*')}`), columns));
      expect(coded.length).toBe(2 ** fs.length - 1);
      expect(coded.flatMap((c) => c.codings).filter((k) => k === 'indicator')).toEqual([]);
    }));
  });

  it('every error points inside the text with a one-line message', () => {
    const chars = fc.constantFrom('r', 'a', 'x', 'C', 'q', '(', ')', '`', '\\', ':', '*', '+', '-', '~', ' ', '\n', '0', '1', '2', '.', ',', '^', '%', '"', 'é', '\u2028');
    const text = fc.oneof(fc.array(chars, { maxLength: 24 }).map((cs) => cs.join('')), formula.chain((f) => fc.nat(f.length).map((k) => f.slice(0, k))));
    fc.assert(fc.property(text, (t) => {
      try {
        expandFormula(parseFormula(t), columns);
      } catch (e) {
        expect(e).toBeInstanceOf(FormulaError);
        const err = e as FormulaError;
        expect(err.formula).toBe(t);
        expect(err.position).toBeGreaterThanOrEqual(0);
        expect(err.position).toBeLessThan(Math.max(1, t.length));
        expect(err.message).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
        const m = / at character (\d+)/.exec(err.message);
        if (m !== null) expect(Number(m[1])).toBe(err.position + 1);
      }
    }), { numRuns: 2000 });
  });
});
