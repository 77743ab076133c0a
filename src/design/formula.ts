/**
 * Model formulas in R's notation (Wilkinson–Rogers, as in `glm(low ~ age + race * smoke)`): syntax
 * only. `parseFormula` turns the text into a tree; what the names mean (columns, `.`, coding) is
 * decided in `terms.ts`.
 *
 * Grammar, with R's operator precedence (highest first: unary `-`/`+`, `:`, `*`, binary `+`/`-`;
 * every binary operator is left-associative):
 *
 *     formula  := [ name ] "~" sum
 *     sum      := product ( ("+" | "-") product )*
 *     product  := interact ( "*" interact )*
 *     interact := unary ( ":" unary )*
 *     unary    := ("-" | "+") unary | primary
 *     primary  := name | "." | "0" | "1" | "C(" name ")" | "(" sum ")"
 *     name     := [A-Za-z_.][A-Za-z0-9_.]*   (not only dots, not "." then a digit)
 *               | "`" any text, with \` for a backquote and \\ for a backslash "`"
 *
 * As in R, unary minus binds tighter than `:`, so `-a:b` is `(-a):b`. `0` and `1` (any spelling of
 * the numbers 0 and 1, such as `1.0`) add or remove the intercept; they may only be operands of `+`
 * and `-` (possibly inside parentheses and unary signs), never of `:`, `*` or `C()`. Whitespace is
 * free between tokens. Everything else (`^`, `/`, `%in%`, `|`, calls other than `C()`, other numbers)
 * is a FormulaError.
 */

/**
 * A formula that cannot be read, or that does not fit the table. `position` is the 0-based index in
 * `formula` of the offending character (0 when the problem is the formula as a whole, e.g. an empty
 * one); the message is one line and, where there is a place to point at, says
 * `at character N` with N = position + 1.
 */
export class FormulaError extends Error {
  override readonly name = 'FormulaError';
  readonly position: number;
  readonly formula: string;

  constructor(formula: string, position: number, message: string) {
    super(message);
    this.formula = formula;
    this.position = position;
  }
}

/** A node of the right-hand side. `position` is the 0-based index of its first character (of the operator, for operators). */
export type FormulaNode =
  /** A column used as it is (numeric columns as values, categorical ones as factors). */
  | { readonly kind: 'column'; readonly name: string; readonly position: number }
  /** `C(name)`: the column as a categorical factor; `namePosition` is where `name` starts. */
  | { readonly kind: 'categorical'; readonly name: string; readonly position: number; readonly namePosition: number }
  /** `.`: every column but the response (and those the caller excludes). */
  | { readonly kind: 'all'; readonly position: number }
  /** `1` (with intercept) or `0` (without). */
  | { readonly kind: 'intercept'; readonly value: 0 | 1; readonly position: number }
  | { readonly kind: 'unary'; readonly op: '+' | '-'; readonly operand: FormulaNode; readonly position: number }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | ':'; readonly left: FormulaNode; readonly right: FormulaNode; readonly position: number };

export interface ParsedFormula {
  /** The formula as given. */
  readonly text: string;
  /** The left-hand side (a column name), or null for a one-sided formula `~ rhs`. */
  readonly response: string | null;
  /** Where the response name starts in `text` (null when there is none). */
  readonly responsePosition: number | null;
  /** The right-hand side. */
  readonly rhs: FormulaNode;
}

type Op = '~' | '+' | '-' | '*' | ':' | '(' | ')' | ',';
type Token =
  | { readonly t: 'name'; readonly name: string; readonly quoted: boolean; readonly pos: number; readonly end: number }
  | { readonly t: 'dot'; readonly pos: number; readonly end: number }
  | { readonly t: 'number'; readonly value: number; readonly pos: number; readonly end: number }
  | { readonly t: 'op'; readonly op: Op; readonly pos: number; readonly end: number };

const IDENT_START = /[A-Za-z_.]/;
const IDENT_PART = /[A-Za-z0-9_.]/;
const IDENTIFIER = /^[A-Za-z_.][A-Za-z0-9_.]*$/;
const NUMBER = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const OPS = new Set<string>(['~', '+', '-', '*', ':', '(', ')', ',']);
/** R operators outside the supported subset. */
const UNSUPPORTED_OPS = new Set<string>(['^', '/', '|', '&', '$', '@', '!', '=', '<', '>', '?', ';', '[', ']', '{', '}']);

/** Quotes text for a one-line message: JSON string syntax, with every line break escaped. */
export function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const at = (pos: number): string => `at character ${pos + 1}`;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const fail = (pos: number, message: string): never => {
    throw new FormulaError(text, pos, message);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '`') {
      const start = i;
      let name = '';
      i++;
      for (;;) {
        if (i >= text.length) fail(start, `unclosed "\`" ${at(start)}`);
        const d = text[i]!;
        if (d === '`') break;
        if (d === '\\') {
          const e = text[i + 1];
          if (e === '`' || e === '\\') {
            name += e;
            i += 2;
            continue;
          }
          if (e === undefined) fail(start, `unclosed "\`" ${at(start)}`);
          fail(i, `a backslash in a backquoted name must be followed by \\\` or \\\\, ${at(i)}`);
        }
        name += d;
        i++;
      }
      i++;
      if (name === '') fail(start, `empty name \`\` ${at(start)}`);
      out.push({ t: 'name', name, quoted: true, pos: start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const num = NUMBER.exec(text.slice(i))![0];
      out.push({ t: 'number', value: Number(num), pos: i, end: i + num.length });
      i += num.length;
      continue;
    }
    if (IDENT_START.test(c)) {
      const start = i;
      while (i < text.length && IDENT_PART.test(text[i]!)) i++;
      const word = text.slice(start, i);
      if (/^\.+$/.test(word)) {
        if (word.length > 1) fail(start, `unexpected ${quote(word)} ${at(start)}`);
        out.push({ t: 'dot', pos: start, end: i });
      } else {
        out.push({ t: 'name', name: word, quoted: false, pos: start, end: i });
      }
      continue;
    }
    if (OPS.has(c)) {
      out.push({ t: 'op', op: c as Op, pos: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '%') {
      const close = text.indexOf('%', i + 1);
      const op = close < 0 ? '%' : text.slice(i, close + 1);
      fail(i, `operator ${quote(op)} is not supported, ${at(i)} (a formula uses ~ + - * : ( ) . 0 1 and C())`);
    }
    if (UNSUPPORTED_OPS.has(c)) {
      fail(i, `operator ${quote(c)} is not supported, ${at(i)} (a formula uses ~ + - * : ( ) . 0 1 and C())`);
    }
    const shown = String.fromCodePoint(text.codePointAt(i)!);
    const hint = /[\p{L}\p{N}]/u.test(shown) ? ' (write a name with such characters in backquotes: `name`)' : '';
    fail(i, `unexpected ${quote(shown)} ${at(i)}${hint}`);
  }
  return out;
}

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  fail(pos: number, message: string): never {
    throw new FormulaError(this.text, pos, message);
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  isOp(tok: Token | undefined, ...ops: Op[]): tok is Extract<Token, { t: 'op' }> {
    return tok !== undefined && tok.t === 'op' && ops.includes(tok.op);
  }

  /** The source text of a token, for messages. */
  shown(tok: Token): string {
    return quote(this.text.slice(tok.pos, tok.end));
  }

  unexpected(tok: Token): never {
    if (tok.t === 'number') this.unexpectedNumber(tok);
    return this.fail(tok.pos, `unexpected ${this.shown(tok)} ${at(tok.pos)}`);
  }

  unexpectedNumber(tok: Extract<Token, { t: 'number' }>): never {
    return this.fail(tok.pos, `unexpected number ${this.shown(tok)} ${at(tok.pos)} (the only numbers in a formula are 0 and 1, for the intercept)`);
  }

  /** The operand after operator `op`: a missing one is reported at the operator. */
  operandAfter(op: Token, parse: () => FormulaNode): FormulaNode {
    const next = this.peek();
    if (next === undefined) this.fail(op.pos, `expected a term after ${this.shown(op)} ${at(op.pos)}`);
    return parse();
  }

  sum(): FormulaNode {
    let left = this.product();
    for (let tok = this.peek(); this.isOp(tok, '+', '-'); tok = this.peek()) {
      this.i++;
      const right = this.operandAfter(tok, () => this.product());
      left = { kind: 'binary', op: tok.op as '+' | '-', left, right, position: tok.pos };
    }
    return left;
  }

  product(): FormulaNode {
    let left = this.interact();
    for (let tok = this.peek(); this.isOp(tok, '*'); tok = this.peek()) {
      this.i++;
      const right = this.operandAfter(tok, () => this.interact());
      left = { kind: 'binary', op: '*', left, right, position: tok.pos };
    }
    return left;
  }

  interact(): FormulaNode {
    let left = this.unary();
    for (let tok = this.peek(); this.isOp(tok, ':'); tok = this.peek()) {
      this.i++;
      const right = this.operandAfter(tok, () => this.unary());
      left = { kind: 'binary', op: ':', left, right, position: tok.pos };
    }
    return left;
  }

  unary(): FormulaNode {
    const tok = this.peek();
    if (this.isOp(tok, '+', '-')) {
      this.i++;
      const operand = this.operandAfter(tok, () => this.unary());
      return { kind: 'unary', op: tok.op as '+' | '-', operand, position: tok.pos };
    }
    return this.primary();
  }

  primary(): FormulaNode {
    const tok = this.peek();
    if (tok === undefined) {
      // Callers check for a token first; reaching the end here is a parser bug, reported at the end.
      return this.fail(Math.max(0, this.text.length - 1), `unexpected end of the formula ${at(Math.max(0, this.text.length - 1))}`);
    }
    this.i++;
    switch (tok.t) {
      case 'dot':
        return { kind: 'all', position: tok.pos };
      case 'number':
        if (tok.value === 0 || tok.value === 1) return { kind: 'intercept', value: tok.value, position: tok.pos };
        return this.unexpectedNumber(tok);
      case 'name': {
        const next = this.peek();
        if (!this.isOp(next, '(')) return { kind: 'column', name: tok.name, position: tok.pos };
        if (tok.quoted || tok.name !== 'C') {
          return this.fail(tok.pos, `unknown function ${this.shown(tok)} ${at(tok.pos)} (the only function in a formula is C(), for a categorical column)`);
        }
        this.i++;
        const arg = this.peek();
        if (arg === undefined) return this.fail(next.pos, `unclosed "(" ${at(next.pos)}`);
        if (arg.t !== 'name' || this.isOp(this.tokens[this.i + 1], '(')) {
          return this.fail(arg.pos, `C() takes one column name, ${at(arg.pos)}`);
        }
        this.i++;
        const close = this.peek();
        if (close === undefined) return this.fail(next.pos, `unclosed "(" ${at(next.pos)}`);
        if (!this.isOp(close, ')')) return this.fail(close.pos, `C() takes one column name, ${at(close.pos)}`);
        this.i++;
        return { kind: 'categorical', name: arg.name, position: tok.pos, namePosition: arg.pos };
      }
      case 'op': {
        if (tok.op !== '(') return this.unexpected(tok);
        const inner = this.operandAfter(tok, () => this.sum());
        const close = this.peek();
        if (close === undefined) return this.fail(tok.pos, `unclosed "(" ${at(tok.pos)}`);
        if (!this.isOp(close, ')')) return this.unexpected(close);
        this.i++;
        return inner;
      }
    }
  }
}

type InterceptNode = Extract<FormulaNode, { kind: 'intercept' }>;

/** The first `0`/`1` inside a node, if any. */
function firstIntercept(node: FormulaNode): InterceptNode | null {
  switch (node.kind) {
    case 'intercept':
      return node;
    case 'unary':
      return firstIntercept(node.operand);
    case 'binary':
      return firstIntercept(node.left) ?? firstIntercept(node.right);
    default:
      return null;
  }
}

/** Rejects `0`/`1` under `:` or `*` (R would silently drop the whole interaction). */
function checkIntercepts(text: string, node: FormulaNode): void {
  if (node.kind === 'unary') checkIntercepts(text, node.operand);
  if (node.kind !== 'binary') return;
  if (node.op === ':' || node.op === '*') {
    const bad = firstIntercept(node.left) ?? firstIntercept(node.right);
    if (bad !== null) {
      throw new FormulaError(text, bad.position, `"${bad.value}" cannot be part of an interaction ${at(bad.position)} (add the intercept with + 1, remove it with + 0 or - 1)`);
    }
  }
  checkIntercepts(text, node.left);
  checkIntercepts(text, node.right);
}

/**
 * Reads a formula `response ~ rhs` or `~ rhs` (grammar above). Throws a FormulaError for anything
 * it cannot read, pointing at the offending character.
 */
export function parseFormula(text: string): ParsedFormula {
  if (typeof text !== 'string') throw new TypeError(`formula must be a string, got ${typeof text}`);
  if (text.trim() === '') throw new FormulaError(text, 0, 'the formula is empty (write "response ~ terms" or "~ terms")');
  const tokens = tokenize(text);
  const tilde = tokens.findIndex((t) => t.t === 'op' && t.op === '~');
  if (tilde < 0) throw new FormulaError(text, 0, '"~" is missing (write "response ~ terms" or "~ terms")');
  const lhs = tokens.slice(0, tilde);
  const tildeTok = tokens[tilde]!;
  let response: string | null = null;
  let responsePosition: number | null = null;
  if (lhs.length > 0) {
    const first = lhs[0]!;
    if (first.t === 'dot') throw new FormulaError(text, first.pos, `"." cannot be the response, ${at(first.pos)}`);
    const bad = first.t !== 'name' ? first : lhs[1];
    if (bad !== undefined) throw new FormulaError(text, bad.pos, `the response must be one column name, ${at(bad.pos)}`);
    response = (first as Extract<Token, { t: 'name' }>).name;
    responsePosition = first.pos;
  }
  const rhsTokens = tokens.slice(tilde + 1);
  if (rhsTokens.length === 0) throw new FormulaError(text, tildeTok.pos, `expected terms after "~" ${at(tildeTok.pos)}`);
  const parser = new Parser(text, rhsTokens);
  const rhs = parser.sum();
  const rest = parser.peek();
  if (rest !== undefined) parser.unexpected(rest);
  checkIntercepts(text, rhs);
  return { text, response, responsePosition, rhs };
}

/** A name as it is written in a formula: bare when it is an identifier, else in backquotes. */
export function formatName(name: string): string {
  if (IDENTIFIER.test(name) && !/^\.+$/.test(name) && !/^\.[0-9]/.test(name)) return name;
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, ':': 3, unary: 4, primary: 5 } as const;

function precedence(node: FormulaNode): number {
  if (node.kind === 'binary') return PRECEDENCE[node.op];
  if (node.kind === 'unary') return PRECEDENCE.unary;
  return PRECEDENCE.primary;
}

/** The text of a node with the fewest parentheses that keep its tree (left-associative operators). */
export function formatNode(node: FormulaNode): string {
  const wrap = (child: FormulaNode, min: number): string => {
    const s = formatNode(child);
    return precedence(child) >= min ? s : `(${s})`;
  };
  switch (node.kind) {
    case 'column':
      return formatName(node.name);
    case 'categorical':
      return `C(${formatName(node.name)})`;
    case 'all':
      return '.';
    case 'intercept':
      return String(node.value);
    case 'unary':
      return `${node.op}${wrap(node.operand, PRECEDENCE.unary)}`;
    case 'binary': {
      const p = PRECEDENCE[node.op];
      const sep = node.op === ':' ? ':' : ` ${node.op} `;
      return `${wrap(node.left, p)}${sep}${wrap(node.right, p + 1)}`;
    }
  }
}

/** The formula as text (`response ~ rhs`); parsing it again gives the same tree. */
export function formatFormula(f: ParsedFormula): string {
  const rhs = formatNode(f.rhs);
  return f.response === null ? `~ ${rhs}` : `${formatName(f.response)} ~ ${rhs}`;
}
