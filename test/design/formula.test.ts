import { describe, expect, it } from 'vitest';
import { FormulaError, formatFormula, parseFormula, type FormulaNode } from '../../src/design/formula.js';

/** The tree without positions, for comparing shapes. */
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

/** The FormulaError a formula throws. */
function errorOf(text: string): FormulaError {
  try {
    parseFormula(text);
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(text)} parsed`);
}

describe('parseFormula', () => {
  it('reads the response and the right-hand side with R precedence', () => {
    const f = parseFormula('low ~ age + race * smoke + C(ftv)');
    expect(f.response).toBe('low');
    expect(f.responsePosition).toBe(0);
    expect(shape(f.rhs)).toEqual([[
      'column:age', '+', ['column:race', '*', 'column:smoke']], '+', 'categorical:ftv']);
  });

  it('binds ":" tighter than "*", "*" tighter than "+" and "-", and is left-associative', () => {
    expect(shape(parseFormula('~ a*b:c').rhs)).toEqual(['column:a', '*', ['column:b', ':', 'column:c']]);
    expect(shape(parseFormula('~ a - b + c').rhs)).toEqual([['column:a', '-', 'column:b'], '+', 'column:c']);
    expect(shape(parseFormula('~ a - (b + c)').rhs)).toEqual(['column:a', '-', ['column:b', '+', 'column:c']]);
    expect(shape(parseFormula('~ (a + b):c').rhs)).toEqual([['column:a', '+', 'column:b'], ':', 'column:c']);
  });

  it('binds unary minus tighter than ":", as R does (-a:b is (-a):b)', () => {
    expect(shape(parseFormula('~ -a:b').rhs)).toEqual([['-', 'column:a'], ':', 'column:b']);
    expect(shape(parseFormula('~ -1 + x').rhs)).toEqual([['-', 1], '+', 'column:x']);
  });

  it('reads one-sided formulas, whitespace anywhere, and 0/1 spelled as numbers', () => {
    const f = parseFormula('~x');
    expect([f.response, f.responsePosition, shape(f.rhs)]).toEqual([null, null, 'column:x']);
    expect(shape(parseFormula(' y\t~\n x +\r\n1.0 - 0.').rhs)).toEqual([['column:x', '+', 1], '-', 0]);
  });

  it('reads identifiers with dots and underscores, "." alone as every column', () => {
    expect(shape(parseFormula('birth.wt ~ .x + x.1 + _z + .').rhs)).toEqual([[['column:.x', '+', 'column:x.1'], '+', 'column:_z'], '+', '.']);
  });

  it('reads backquoted names with \\` and \\\\ escapes, also as the response and in C()', () => {
    const f = parseFormula('`birth weight` ~ `a-b` + C(`x y`) + `a\\`b` + `c\\\\d`');
    expect(f.response).toBe('birth weight');
    expect(shape(f.rhs)).toEqual([[['column:a-b', '+', 'categorical:x y'], '+', 'column:a`b'], '+', 'column:c\\d']);
  });

  it('records where each name starts', () => {
    const f = parseFormula('y ~ a + C( b )');
    const rhs = f.rhs as Extract<FormulaNode, { kind: 'binary' }>;
    expect(rhs.position).toBe(6);
    expect(rhs.left).toMatchObject({ kind: 'column', position: 4 });
    expect(rhs.right).toMatchObject({ kind: 'categorical', position: 8, namePosition: 11 });
  });

  it('a bare C is a column name; only C( is the function', () => {
    expect(shape(parseFormula('C ~ C + C(C)').rhs)).toEqual(['column:C', '+', 'categorical:C']);
  });
});

describe('formatFormula', () => {
  it.each([
    ['low ~ age + race*smoke', 'low ~ age + race * smoke'],
    ['y~a-(b-c)', 'y ~ a - (b - c)'],
    ['y ~ (a + b) - c', 'y ~ a + b - c'],
    ['~ (a*b):c', '~ (a * b):c'],
    ['~ -(a:b) + -a:b', '~ -(a:b) + -a:b'],
    ['`birth weight` ~ `a\\`b` + C(`1x`) + `..`', '`birth weight` ~ `a\\`b` + C(`1x`) + `..`'],
    ['~ 0 + x', '~ 0 + x'],
  ])('%s prints as %s and reads back to the same tree', (text, printed) => {
    const f = parseFormula(text);
    expect(formatFormula(f)).toBe(printed);
    expect(shape(parseFormula(printed).rhs)).toEqual(shape(f.rhs));
  });
});

describe('syntax errors: one line, pointing at the character', () => {
  it.each([
    ['', 0, 'the formula is empty (write "response ~ terms" or "~ terms")'],
    ['  \n ', 0, 'the formula is empty (write "response ~ terms" or "~ terms")'],
    ['low + age', 0, '"~" is missing (write "response ~ terms" or "~ terms")'],
    ['low ~', 4, 'expected terms after "~" at character 5'],
    ['low ~ age +', 10, 'expected a term after "+" at character 11'],
    ['low ~ age *', 10, 'expected a term after "*" at character 11'],
    ['low ~ age:', 9, 'expected a term after ":" at character 10'],
    ['low ~ -', 6, 'expected a term after "-" at character 7'],
    ['low ~ age)', 9, 'unexpected ")" at character 10'],
    ['low ~ ()', 7, 'unexpected ")" at character 8'],
    ['low ~ (age + lwt', 6, 'unclosed "(" at character 7'],
    ['low ~ ((age + lwt)', 6, 'unclosed "(" at character 7'],
    ['low ~ (age lwt)', 11, 'unexpected "lwt" at character 12'],
    ['low ~ age lwt', 10, 'unexpected "lwt" at character 11'],
    ['low ~ age + * lwt', 12, 'unexpected "*" at character 13'],
    ['low ~ age ~ lwt', 10, 'unexpected "~" at character 11'],
    ['low ~ C(ftv, 2)', 11, 'C() takes one column name, at character 12'],
    ['low ~ C()', 8, 'C() takes one column name, at character 9'],
    ['low ~ C(a + b)', 10, 'C() takes one column name, at character 11'],
    ['low ~ C(C(x))', 8, 'C() takes one column name, at character 9'],
    ['low ~ C(.)', 8, 'C() takes one column name, at character 9'],
    ['low ~ C(1)', 8, 'C() takes one column name, at character 9'],
    ['low ~ C(ftv', 7, 'unclosed "(" at character 8'],
    ['low ~ C(', 7, 'unclosed "(" at character 8'],
    ['low ~ log(age)', 6, 'unknown function "log" at character 7 (the only function in a formula is C(), for a categorical column)'],
    ['low ~ `C`(age)', 6, 'unknown function "`C`" at character 7 (the only function in a formula is C(), for a categorical column)'],
    ['low ~ age^2', 9, 'operator "^" is not supported, at character 10 (a formula uses ~ + - * : ( ) . 0 1 and C())'],
    ['low ~ age/lwt', 9, 'operator "/" is not supported, at character 10 (a formula uses ~ + - * : ( ) . 0 1 and C())'],
    ['low ~ a %in% b', 8, 'operator "%in%" is not supported, at character 9 (a formula uses ~ + - * : ( ) . 0 1 and C())'],
    ['low ~ a | b', 8, 'operator "|" is not supported, at character 9 (a formula uses ~ + - * : ( ) . 0 1 and C())'],
    ['low ~ 2 + age', 6, 'unexpected number "2" at character 7 (the only numbers in a formula are 0 and 1, for the intercept)'],
    ['low ~ age + .5', 12, 'unexpected number ".5" at character 13 (the only numbers in a formula are 0 and 1, for the intercept)'],
    ['low ~ age:1', 10, '"1" cannot be part of an interaction at character 11 (add the intercept with + 1, remove it with + 0 or - 1)'],
    ['low ~ (age + 0)*lwt', 13, '"0" cannot be part of an interaction at character 14 (add the intercept with + 1, remove it with + 0 or - 1)'],
    ['low ~ age*(-1)', 12, '"1" cannot be part of an interaction at character 13 (add the intercept with + 1, remove it with + 0 or - 1)'],
    ['low ~ age + ..', 12, 'unexpected ".." at character 13'],
    ['low ~ `age', 6, 'unclosed "`" at character 7'],
    ['low ~ `age\\`', 6, 'unclosed "`" at character 7'],
    ['low ~ ``', 6, 'empty name `` at character 7'],
    ['low ~ `a\\nb`', 8, 'a backslash in a backquoted name must be followed by \\` or \\\\, at character 9'],
    ['low ~ "age"', 6, 'unexpected "\\"" at character 7'],
    ['low ~ âge', 6, 'unexpected "â" at character 7 (write a name with such characters in backquotes: `name`)'],
    ['. ~ age', 0, '"." cannot be the response, at character 1'],
    ['C(low) ~ age', 1, 'the response must be one column name, at character 2'],
    ['low + ht ~ age', 4, 'the response must be one column name, at character 5'],
    ['1 ~ age', 0, 'the response must be one column name, at character 1'],
  ])('%j: position %i, %s', (text, position, message) => {
    const e = errorOf(text);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FormulaError');
    expect(e.formula).toBe(text);
    expect(e.message).toBe(message);
    expect(e.position).toBe(position);
    expect(e.message).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it('a line break in the formula is named, not printed', () => {
    const e = errorOf('low ~ age +\n)');
    expect(e.message).toBe('unexpected ")" at character 13');
    const f = errorOf('low ~ age +\n\u2028');
    expect(f.message).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it('a formula that is not a string is a TypeError', () => {
    expect(() => parseFormula(3 as unknown as string)).toThrow(TypeError);
  });
});
