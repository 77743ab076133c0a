import { spdInverse } from '../../backend/linalg.js';
import { chiSquareSf } from '../../util/distributions.js';
import { congruence } from './dense.js';

/**
 * Wald tests of linear hypotheses R·θ = r on named parameters, as statsmodels' `wald_test` (its
 * default χ² form for Logit / MNLogit):
 *
 *     W = (Rθ̂ − r)ᵀ (R·V·Rᵀ)⁻¹ (Rθ̂ − r),   df = rows of R,   p = P(χ²_df ≥ W)
 *
 * with V the covariance of the chosen type. A hypothesis is text: constraints separated by commas,
 * each two linear expressions joined by '=' ('x1 = x2', '2*x1 - x3 = 1'; a constraint without '='
 * means '= 0'). Names are matched against the parameter names, longest first, so names with spaces,
 * brackets or colons ('race[T.other]', 'versicolor: sepal_width') are written as they are.
 */

/** A hypothesis that does not parse: its message names the character (1-based) and what was expected. */
export class HypothesisError extends RangeError {
  override readonly name = 'HypothesisError';
  constructor(readonly hypothesis: string, readonly position: number, message: string) {
    super(message);
  }
}

export interface WaldTest {
  /** The hypothesis as given. */
  hypothesis: string;
  statistic: number;
  df: number;
  pValue: number;
}

/** The restriction: R (rows × m, row-major) and r. */
export interface Restriction {
  R: Float64Array;
  r: Float64Array;
  rows: number;
}

type Token =
  | { kind: 'name'; index: number; at: number; end: number }
  | { kind: 'number'; value: number; at: number; end: number }
  | { kind: '+' | '-' | '*' | '=' | ','; at: number; end: number }
  | { kind: 'end'; at: number; end: number };

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[^\s+\-*=,]+/;

function quoteAt(text: string, at: number): string {
  return `${text.slice(0, at)}⟨here⟩${text.slice(at)}`;
}

/** Splits the text into names (longest known name first), numbers and operators. */
function tokenize(text: string, names: readonly string[]): Token[] {
  const byLength = names.map((n, index) => ({ n, index })).sort((a, b) => b.n.length - a.n.length);
  const tokens: Token[] = [];
  let at = 0;
  const fail = (pos: number, why: string): never => {
    throw new HypothesisError(text, pos + 1, `test "${text}": ${why} at character ${pos + 1} (${quoteAt(text, pos)})`);
  };
  while (at < text.length) {
    const ch = text[at]!;
    if (/\s/.test(ch)) {
      at++;
      continue;
    }
    const name = byLength.find(({ n }) => text.startsWith(n, at) && !/[\w.\]]/.test(text[at + n.length] ?? ' ') && n.length > 0);
    if (name !== undefined) {
      tokens.push({ kind: 'name', index: name.index, at, end: at + name.n.length });
      at += name.n.length;
      continue;
    }
    const num = NUMBER.exec(text.slice(at));
    if (num !== null && !/[A-Za-z_[]/.test(text[at + num[0].length] ?? ' ')) {
      tokens.push({ kind: 'number', value: Number(num[0]), at, end: at + num[0].length });
      at += num[0].length;
      continue;
    }
    if ('+-*=,'.includes(ch)) {
      tokens.push({ kind: ch as '+' | '-' | '*' | '=' | ',', at, end: at + 1 });
      at++;
      continue;
    }
    const word = WORD.exec(text.slice(at))![0];
    const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
    fail(at, `no parameter named "${word}" (the parameters are ${shown})`);
  }
  tokens.push({ kind: 'end', at: text.length, end: text.length });
  return tokens;
}

/**
 * Parses a hypothesis against the parameter names into R·θ = r. Grammar: constraint (',' constraint)*;
 * constraint: sum ['=' sum]; sum: ['+'|'-'] term (('+'|'-') term)*; term: factor ('*' factor)*, with
 * at most one name per term.
 */
export function parseHypothesis(text: string, names: readonly string[]): Restriction {
  const m = names.length;
  if (text.trim() === '') throw new HypothesisError(text, 1, 'a test is empty; write a hypothesis such as "x1 = x2"');
  const tokens = tokenize(text, names);
  let t = 0;
  const peek = () => tokens[t]!;
  const fail = (tok: Token, why: string): never => {
    throw new HypothesisError(text, tok.at + 1, `test "${text}": ${why} at character ${tok.at + 1} (${quoteAt(text, tok.at)})`);
  };
  const rows: Array<{ coef: Float64Array; rhs: number }> = [];
  /** Adds sign × the sum to coef and returns sign × its constant part. */
  const sum = (coef: Float64Array, sign: number): number => {
    let constant = 0;
    let s = 1;
    let first = true;
    for (;;) {
      const tok = peek();
      if (tok.kind === '+' || tok.kind === '-') {
        s = tok.kind === '-' ? -1 : 1;
        t++;
      } else if (!first) {
        break;
      }
      // term
      let factor = s;
      let name: number | null = null;
      for (;;) {
        const f = peek();
        if (f.kind === 'number') factor *= f.value;
        else if (f.kind === 'name') {
          if (name !== null) fail(f, 'a product of two parameters is not linear');
          name = f.index;
        } else fail(f, f.kind === 'end' ? 'the hypothesis ends where a parameter name or a number is expected' : `"${text.slice(f.at, f.end)}" where a parameter name or a number is expected`);
        t++;
        if (peek().kind !== '*') break;
        t++;
      }
      if (name === null) constant += factor;
      else coef[name] += sign * factor;
      first = false;
      s = 1;
      const next = peek();
      if (next.kind !== '+' && next.kind !== '-') break;
    }
    return sign * constant;
  };
  for (;;) {
    const coef = new Float64Array(m);
    const left = sum(coef, 1);
    let right = 0;
    if (peek().kind === '=') {
      t++;
      right = -sum(coef, -1);
    }
    if (coef.every((v) => v === 0)) fail(tokens[Math.max(0, t - 1)]!, 'the constraint names no parameter (or its parameters cancel)');
    // Σ coef·θ + left = right  ⇒  Σ coef·θ = right − left
    rows.push({ coef, rhs: right - left });
    const tok = peek();
    if (tok.kind === 'end') break;
    if (tok.kind !== ',') fail(tok, tok.kind === '=' ? 'a second "=" in one constraint (separate constraints with commas)' : `"${text.slice(tok.at, tok.end)}" where "=", "," or the end is expected`);
    t++;
  }
  const R = new Float64Array(rows.length * m);
  rows.forEach((row, i) => R.set(row.coef, i * m));
  return { R, r: Float64Array.from(rows, (row) => row.rhs), rows: rows.length };
}

/** The Wald test of a parsed restriction at θ̂ with covariance V (m×m). */
export function waldTest(hypothesis: string, restriction: Restriction, theta: ArrayLike<number>, V: ArrayLike<number>): WaldTest {
  const { R, r, rows } = restriction;
  const m = theta.length;
  const diff = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let v = -r[i]!;
    for (let c = 0; c < m; c++) v += R[i * m + c]! * theta[c]!;
    diff[i] = v;
  }
  const RVR = congruence(R, V, rows, m);
  const inv = spdInverse(RVR, rows, 1e-12);
  if (!(inv instanceof Float64Array)) {
    throw new RangeError(`test "${hypothesis}": constraint ${inv.failed + 1} repeats the others (or its variance is 0), so the constraints are not independent; leave it out`);
  }
  let W = 0;
  for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) W += diff[i]! * inv[i * rows + j]! * diff[j]!;
  return { hypothesis, statistic: W, df: rows, pValue: chiSquareSf(W, rows) };
}
