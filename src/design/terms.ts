import { FormulaError, quote, type FormulaNode, type ParsedFormula } from './formula.js';

/**
 * The meaning of a formula for a table: which terms the model has, how R codes each categorical
 * factor in each term, and the design columns that follow, named in patsy's style.
 *
 * Term algebra (R's `terms.formula`, `src/library/stats/src/model.c`). A term is a set of factors;
 * an expression stands for an ordered list of distinct terms (the first appearance of a term fixes
 * its place and the order of its factors as written):
 *   A + B = A then the terms of B not in A;       A - B = A without the terms of B;
 *   A : B = { a ∪ b : a ∈ A, b ∈ B } in the order a-major, b-minor;
 *   A * B = A + B + A:B;                          (A) = A;  -A = ∅;  +A = A.
 * A factor repeated in a term counts once (a:a = a). `1` and `0` set the intercept as they are met
 * from left to right; under an odd number of minus signs they mean the opposite (`- 1` removes it,
 * `- 0` keeps it, as in R). The model's terms are then sorted by degree (number of factors), stably.
 * One exception to R: `A * B` with A empty (`(x - x) * z`) is an error, where R returns no terms.
 *
 * Variable order: R numbers the variables by their first appearance in the formula text (`.` at its
 * place, in table order), and model.matrix lets the earliest variable of a term vary fastest. Names
 * keep the order the factors are written in; `Term.columnOrder` carries R's order.
 */

export interface ColumnSchema {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
}

/** One factor of a term: a column, used by value (numeric) or by level (categorical). */
export interface Factor {
  readonly column: string;
  /** True for a categorical column and for `C(x)` of any column. */
  readonly categorical: boolean;
  /** `x` or `C(x)` (the raw column name, without backquotes): the factor's identity and its name in column names. */
  readonly label: string;
}

/** A model term: the product of its factors. */
export interface Term {
  /** The factors in the order they are written in the formula (first appearance); [] would be the intercept. */
  readonly factors: readonly Factor[];
  /**
   * Indices into `factors` in R's variable order (first appearance anywhere in the formula): the
   * design columns of the term enumerate the levels with `factors[columnOrder[0]]` varying fastest,
   * as R's model.matrix does.
   */
  readonly columnOrder: readonly number[];
}

export interface ModelTerms {
  readonly response: string | null;
  /** Whether the model has an intercept; the intercept is not among `terms`. */
  readonly intercept: boolean;
  /** The terms in R's order: by degree, then by first appearance. */
  readonly terms: readonly Term[];
}

/** How a factor enters a term: its values, treatment contrasts (all levels but the first), or one indicator per level. */
export type Coding = 'numeric' | 'treatment' | 'indicator';

export interface CodedTerm {
  readonly term: Term;
  /** One per factor of `term.factors`, in that order. */
  readonly codings: readonly Coding[];
}

/**
 * A design column: the product, over the factors of term `term`, of the factor's value (numeric
 * factors, `levels[i] === null`) or of the indicator [row's level index = levels[i]] (categorical).
 */
export interface DesignColumn {
  /** Patsy-style name: `age`, `race[T.other]`, `race[white]`, `C(ftv)[T.2]`, joined by ":" in written order. */
  readonly name: string;
  /** Index of the term in the coded terms. */
  readonly term: number;
  /** Per factor of the term (in `term.factors` order), the level index it picks, or null for a numeric factor. */
  readonly levels: readonly (number | null)[];
}

const at = (pos: number): string => `at character ${pos + 1}`;

/** A column name for a message list: as is, or quoted when it holds a control character or line break. */
function shownName(name: string): string {
  return /[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(name) ? quote(name) : name;
}

function columnList(columns: readonly ColumnSchema[]): string {
  const shown = columns.slice(0, 10).map((c) => shownName(c.name)).join(', ');
  return columns.length > 10 ? `${shown}, …` : shown;
}

function schemaMap(columns: readonly ColumnSchema[]): Map<string, ColumnSchema> {
  if (!Array.isArray(columns)) throw new TypeError(`columns must be an array of { name, kind }, got ${typeof columns}`);
  const byName = new Map<string, ColumnSchema>();
  columns.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || typeof c.name !== 'string') {
      throw new TypeError(`columns[${i}] must be { name: string, kind: 'numeric' | 'categorical' }`);
    }
    if (c.kind !== 'numeric' && c.kind !== 'categorical') {
      throw new TypeError(`columns[${i}] (${quote(c.name)}) has kind ${quote(String(c.kind))}; it must be 'numeric' or 'categorical'`);
    }
    if (byName.has(c.name)) throw new RangeError(`columns has ${quote(c.name)} twice (at ${columns.findIndex((d) => d.name === c.name)} and ${i})`);
    byName.set(c.name, c);
  });
  return byName;
}

function checkListed(names: readonly string[], byName: ReadonlyMap<string, ColumnSchema>, what: string, columns: readonly ColumnSchema[]): Set<string> {
  if (!Array.isArray(names)) throw new TypeError(`${what} must be an array of column names, got ${typeof names}`);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (typeof name !== 'string') throw new TypeError(`${what}[${i}] must be a column name, got ${typeof name}`);
    if (!byName.has(name)) throw new RangeError(`${what} names ${quote(name)}, which is not a column (columns: ${columnList(columns)})`);
    if (seen.has(name)) throw new RangeError(`${what} names ${quote(name)} twice`);
    seen.add(name);
  });
  return seen;
}

/** Identity of a term: its set of factor labels. */
function termKey(factors: readonly Factor[]): string {
  return JSON.stringify(factors.map((f) => f.label).sort());
}

type Draft = readonly Factor[];

function distinct(terms: readonly Draft[]): Draft[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const k = termKey(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function interact(left: readonly Draft[], right: readonly Draft[]): Draft[] {
  const out: Draft[] = [];
  for (const l of left) {
    for (const r of right) {
      const labels = new Set(l.map((f) => f.label));
      out.push([...l, ...r.filter((f) => !labels.has(f.label))]);
    }
  }
  return distinct(out);
}

function finish(response: string | null, intercept: boolean, drafts: readonly Draft[], rank: ReadonlyMap<string, number>): ModelTerms {
  const ordered = drafts.map((factors, i) => ({ factors, i })).sort((a, b) => a.factors.length - b.factors.length || a.i - b.i);
  const terms = ordered.map(({ factors }): Term => ({
    factors,
    columnOrder: factors.map((_, i) => i).sort((a, b) => rank.get(factors[a]!.label)! - rank.get(factors[b]!.label)!),
  }));
  return { response, intercept, terms };
}

/**
 * The terms of a parsed formula for a table with these columns (term algebra above). `.` stands
 * for every column except the response and `options.exclude` (a column named explicitly is used
 * even when excluded). Throws a FormulaError pointing at the name for an unknown column, a response
 * used on the right-hand side, or `A * B` with an empty A; a RangeError for duplicate `columns` or
 * an `exclude` entry that is not a column.
 */
export function expandFormula(f: ParsedFormula, columns: readonly ColumnSchema[], options: { exclude?: readonly string[] } = {}): ModelTerms {
  const byName = schemaMap(columns);
  const excluded = checkListed(options.exclude ?? [], byName, 'exclude', columns);
  const fail = (pos: number, message: string): never => {
    throw new FormulaError(f.text, pos, message);
  };
  const unknown = (name: string, pos: number, role = ''): string =>
    `unknown column ${quote(name)}${role} ${at(pos)} (columns: ${columnList(columns)})`;

  if (f.response !== null && !byName.has(f.response)) fail(f.responsePosition ?? 0, unknown(f.response, f.responsePosition ?? 0, ' for the response'));
  const dot: Factor[] = columns
    .filter((c) => c.name !== f.response && !excluded.has(c.name))
    .map((c) => ({ column: c.name, categorical: c.kind === 'categorical', label: c.name }));

  const factorOf = (node: Extract<FormulaNode, { kind: 'column' | 'categorical' }>): Factor => {
    const pos = node.kind === 'column' ? node.position : node.namePosition;
    const schema = byName.get(node.name);
    if (schema === undefined) return fail(pos, unknown(node.name, pos));
    if (node.name === f.response) fail(pos, `the response ${quote(node.name)} cannot also be a term, ${at(pos)}`);
    return node.kind === 'column'
      ? { column: node.name, categorical: schema.kind === 'categorical', label: node.name }
      : { column: node.name, categorical: true, label: `C(${node.name})` };
  };

  // R's variable order: first appearance in the text, `.` expanded in place.
  const rank = new Map<string, number>();
  const see = (label: string): void => {
    if (!rank.has(label)) rank.set(label, rank.size);
  };

  let intercept = true;
  // sign: +1, or -1 under an odd number of minus signs (R's `parity`).
  const evaluate = (node: FormulaNode, sign: 1 | -1): Draft[] => {
    switch (node.kind) {
      case 'column':
      case 'categorical': {
        const factor = factorOf(node);
        see(factor.label);
        return [[factor]];
      }
      case 'all':
        dot.forEach((d) => see(d.label));
        return dot.map((d) => [d]);
      case 'intercept':
        intercept = (node.value === 1) === (sign === 1);
        return [];
      case 'unary': {
        const inner = evaluate(node.operand, node.op === '-' ? (-sign as 1 | -1) : sign);
        return node.op === '-' ? [] : inner;
      }
      case 'binary': {
        const left = evaluate(node.left, sign);
        const right = evaluate(node.right, node.op === '-' ? (-sign as 1 | -1) : sign);
        switch (node.op) {
          case '+':
            return distinct([...left, ...right]);
          case '-': {
            const drop = new Set(right.map(termKey));
            return left.filter((t) => !drop.has(termKey(t)));
          }
          case ':':
            return interact(left, right);
          case '*':
            if (left.length === 0) fail(node.position, `the left side of "*" has no terms ${at(node.position)} (R would drop the whole product)`);
            return distinct([...left, ...right, ...interact(left, right)]);
        }
      }
    }
  };
  const drafts = evaluate(f.rhs, 1);
  return finish(f.response, intercept, drafts, rank);
}

/**
 * The terms of `response ~ .` without a formula: the `features` in their order (default: every
 * column but the response, in table order) less those in `exclude`, each as a main effect
 * (categorical columns as factors, coded by treatment contrasts), with an intercept unless
 * `intercept` is false. Unknown or repeated names, and the response among the features, are
 * RangeErrors naming them.
 */
export function defaultTerms(
  response: string,
  columns: readonly ColumnSchema[],
  options: { features?: readonly string[]; exclude?: readonly string[]; intercept?: boolean } = {},
): ModelTerms {
  const byName = schemaMap(columns);
  if (typeof response !== 'string') throw new TypeError(`response must be a column name, got ${typeof response}`);
  if (!byName.has(response)) throw new RangeError(`response ${quote(response)} is not a column (columns: ${columnList(columns)})`);
  const excluded = checkListed(options.exclude ?? [], byName, 'exclude', columns);
  let names: string[];
  if (options.features === undefined) {
    names = columns.map((c) => c.name).filter((n) => n !== response);
  } else {
    checkListed(options.features, byName, 'features', columns);
    if (options.features.includes(response)) throw new RangeError(`features names the response ${quote(response)}`);
    names = [...options.features];
  }
  const factors = names.filter((n) => !excluded.has(n)).map((n): Factor => ({ column: n, categorical: byName.get(n)!.kind === 'categorical', label: n }));
  const rank = new Map(factors.map((fa, i) => [fa.label, i]));
  return finish(response, options.intercept ?? true, factors.map((fa) => [fa]), rank);
}

function checkTerm(term: Term, where: string): void {
  const n = term.factors.length;
  const order = term.columnOrder;
  if (order.length !== n || new Set(order).size !== n || order.some((k) => !Number.isInteger(k) || k < 0 || k >= n)) {
    throw new RangeError(`${where}.columnOrder is [${order.join(', ')}], which is not an ordering of its ${n} factors`);
  }
  if (new Set(term.factors.map((fa) => fa.label)).size !== n) throw new RangeError(`${where} repeats a factor (${termLabel(term)})`);
}

/**
 * How R codes each factor of each term (`TermCode` in R's model.c, then model.matrix). With the
 * terms T₁ … Tₘ in model order, a categorical factor F of Tⱼ is coded
 *   - by treatment contrasts when Tⱼ \ {F} is empty, or is a subset of some earlier term Tₖ (k < j);
 *   - by indicators otherwise (the columns then span what the missing margin would have).
 * Numeric factors are always 'numeric'. Without an intercept, the first term (in model order) that
 * has a categorical factor codes its first categorical factor (in R's variable order) by indicators,
 * so that the model still spans the constant. The result is aligned with `t.terms`.
 */
export function codeTerms(t: ModelTerms): CodedTerm[] {
  const sets = t.terms.map((term, j) => {
    checkTerm(term, `terms[${j}]`);
    return new Set(term.factors.map((fa) => fa.label));
  });
  const coded = t.terms.map((term, j) => {
    const codings: Coding[] = term.factors.map((factor): Coding => {
      if (!factor.categorical) return 'numeric';
      const rest = term.factors.filter((g) => g.label !== factor.label).map((g) => g.label);
      if (rest.length === 0) return 'treatment';
      for (let k = 0; k < j; k++) if (rest.every((l) => sets[k]!.has(l))) return 'treatment';
      return 'indicator';
    });
    return { term, codings };
  });
  if (!t.intercept) {
    for (const c of coded) {
      const first = c.term.columnOrder.find((i) => c.term.factors[i]!.categorical);
      if (first !== undefined) {
        c.codings[first] = 'indicator';
        break;
      }
    }
  }
  return coded;
}

/** The name of a term: its factor labels joined by ":" in written order (`race:smoke`). */
export function termLabel(term: Term): string {
  return term.factors.map((fa) => fa.label).join(':');
}

/**
 * The design columns of the coded terms, term after term. Within a term, the columns run over the
 * levels each factor contributes (numeric: itself; treatment: levels 1 … L−1; indicator: levels
 * 0 … L−1, as indices into `levelsOf(factor)`), the factor first in R's variable order varying
 * fastest. A categorical factor needs at least 2 distinct levels (as in R's model.matrix), else a
 * RangeError; so is a coding that does not fit its factor.
 */
export function designColumns(coded: readonly CodedTerm[], levelsOf: (f: Factor) => readonly string[]): DesignColumn[] {
  const out: DesignColumn[] = [];
  coded.forEach(({ term, codings }, j) => {
    checkTerm(term, `coded[${j}].term`);
    const n = term.factors.length;
    if (codings.length !== n) throw new RangeError(`coded[${j}] has ${codings.length} codings for ${n} factors (${termLabel(term)})`);
    const levels: (readonly string[] | null)[] = [];
    const choices = term.factors.map((factor, i): readonly (number | null)[] => {
      const coding = codings[i]!;
      if ((coding === 'numeric') === factor.categorical) {
        throw new RangeError(`coded[${j}] codes the ${factor.categorical ? 'categorical' : 'numeric'} factor ${quote(factor.label)} as ${quote(coding)}`);
      }
      if (coding === 'numeric') {
        levels.push(null);
        return [null];
      }
      const lv = levelsOf(factor);
      if (lv.length < 2) {
        throw new RangeError(`the categorical factor ${quote(factor.label)} has ${lv.length} level${lv.length === 1 ? '' : 's'}${lv.length === 1 ? ` (${quote(lv[0]!)})` : ''}; it needs at least 2`);
      }
      if (new Set(lv).size !== lv.length) throw new RangeError(`the levels of ${quote(factor.label)} repeat a level`);
      levels.push(lv);
      const first = coding === 'treatment' ? 1 : 0;
      return Array.from({ length: lv.length - first }, (_, k) => k + first);
    });
    const part = (i: number, pick: number | null): string => {
      const label = term.factors[i]!.label;
      if (pick === null) return label;
      const level = levels[i]![pick]!;
      return codings[i] === 'treatment' ? `${label}[T.${level}]` : `${label}[${level}]`;
    };
    // Odometer over the factors in R's order, the first one fastest.
    const digit = new Array<number>(n).fill(0);
    const total = choices.reduce((p, c) => p * c.length, 1);
    for (let col = 0; col < total; col++) {
      const picks = choices.map((c, i) => c[digit[i]!]!);
      out.push({ name: picks.map((p, i) => part(i, p)).join(':'), term: j, levels: picks });
      for (const i of term.columnOrder) {
        if (++digit[i]! < choices[i]!.length) break;
        digit[i] = 0;
      }
    }
  });
  return out;
}

/**
 * A numeric level as its name shows it: JavaScript's shortest round-trip form (2, 2.5, -1, 1e-7;
 * -0 is "0"). NaN is no level (a RangeError).
 */
export function levelLabel(v: number): string {
  if (typeof v !== 'number') throw new TypeError(`a numeric level must be a number, got ${typeof v}`);
  if (Number.isNaN(v)) throw new RangeError('a numeric level cannot be NaN');
  return String(v);
}

/**
 * The levels of `C(x)` for a numeric column x: its distinct values in increasing order (0 and -0
 * are one value); NaN (a missing value) is not a level.
 */
export function numericLevels(values: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) seen.add(v === 0 ? 0 : v);
  }
  return [...seen].sort((a, b) => a - b);
}
