/**
 * HCL expressions and string templates as bake files use them, parsed into a small tree:
 * literals, `"…${…}…"` templates, variables, `a.b` and `a[0]`, function calls (with `...`),
 * tuples, objects, unary and binary operators and `c ? a : b`. `for` expressions, splats and
 * `%{…}` directives are reported as unsupported, so the importer can list what it left out.
 * (hcl2json hands every attribute over as such a template string.) Pure.
 */

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

export type Expr =
  | { readonly t: 'lit'; readonly v: HclValue }
  | { readonly t: 'tpl'; readonly parts: ReadonlyArray<string | Expr> }
  | { readonly t: 'var'; readonly name: string }
  | { readonly t: 'get'; readonly obj: Expr; readonly key: string }
  | { readonly t: 'index'; readonly obj: Expr; readonly index: Expr }
  | { readonly t: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly expand: boolean }
  | { readonly t: 'tuple'; readonly items: readonly Expr[] }
  | { readonly t: 'object'; readonly entries: ReadonlyArray<readonly [Expr, Expr]> }
  | { readonly t: 'unary'; readonly op: '!' | '-'; readonly e: Expr }
  | { readonly t: 'binary'; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly t: 'cond'; readonly c: Expr; readonly a: Expr; readonly b: Expr };

/** Something the importer cannot translate statically, with the reason. */
export class Unresolvable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unresolvable';
  }
}

/** A template as written between quotes (without them): literal text and `${…}` interpolations. */
export function parseTemplate(text: string): Expr {
  return new Parser(text).template(undefined);
}

/** A bare expression (`TAG == "latest" ? "x" : "y"`). */
export function parseExpression(text: string): Expr {
  const parser = new Parser(text);
  const expr = parser.expression();
  parser.end();
  return expr;
}

const BINARY: ReadonlyArray<readonly string[]> = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  end(): void {
    this.space();
    if (this.pos < this.src.length) this.fail(`unexpected "${this.src.slice(this.pos, this.pos + 10)}"`);
  }

  /** Template text up to `close` (a quote) or the end; `$${` and `%%{` are literal. */
  template(close: string | undefined): Expr {
    const parts: Array<string | Expr> = [];
    let text = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (close !== undefined && c === close) break;
      if (close !== undefined && c === '\\') {
        text += this.escape();
        continue;
      }
      if (this.src.startsWith('$${', this.pos) || this.src.startsWith('%%{', this.pos)) {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (this.src.startsWith('%{', this.pos)) this.fail('template directives (%{ if }, %{ for }) are not supported');
      if (this.src.startsWith('${', this.pos)) {
        this.pos += 2;
        if (this.src[this.pos] === '~') this.pos++;
        if (text) parts.push(text);
        text = '';
        parts.push(this.expression());
        this.space();
        if (this.src[this.pos] === '~') this.pos++;
        this.expect('}');
        continue;
      }
      text += c;
      this.pos++;
    }
    if (text || parts.length === 0) parts.push(text);
    return parts.length === 1 && typeof parts[0] === 'string' ? { t: 'lit', v: parts[0] } : { t: 'tpl', parts };
  }

  expression(): Expr {
    const c = this.binary(0);
    this.space();
    if (this.src[this.pos] !== '?') return c;
    this.pos++;
    const a = this.expression();
    this.space();
    this.expect(':');
    const b = this.expression();
    return { t: 'cond', c, a, b };
  }

  private binary(level: number): Expr {
    if (level === BINARY.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.space();
      // `<<` starts a heredoc, never a comparison.
      const op = BINARY[level]!.find((o) => this.src.startsWith(o, this.pos) && !(o === '<' && this.src[this.pos + 1] === '<'));
      if (!op) return left;
      this.pos += op.length;
      left = { t: 'binary', op, a: left, b: this.binary(level + 1) };
    }
  }

  private unary(): Expr {
    this.space();
    const c = this.src[this.pos];
    if (c === '!' || (c === '-' && !/\d/.test(this.src[this.pos + 1] ?? ''))) {
      this.pos++;
      return { t: 'unary', op: c, e: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: Expr): Expr {
    let expr = start;
    for (;;) {
      if (this.src[this.pos] === '.' && /[A-Za-z_]/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        expr = { t: 'get', obj: expr, key: this.identifier() };
      } else if (this.src[this.pos] === '.' && /\d/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        expr = { t: 'index', obj: expr, index: { t: 'lit', v: Number(this.number()) } };
      } else if (this.src[this.pos] === '[') {
        this.pos++;
        if (this.src[this.pos] === '*') this.fail('splat expressions ([*]) are not supported');
        const index = this.expression();
        this.space();
        this.expect(']');
        expr = { t: 'index', obj: expr, index };
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    this.space();
    const c = this.src[this.pos];
    if (c === undefined) this.fail('the expression ends too early');
    if (c === '"') {
      this.pos++;
      const tpl = this.template('"');
      this.expect('"');
      return tpl;
    }
    if (c === '<' && this.src.startsWith('<<', this.pos)) this.fail('heredoc strings are not supported');
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      this.space();
      this.expect(')');
      return e;
    }
    if (c === '[') return this.tuple();
    if (c === '{') return this.object();
    if (/[\d-]/.test(c)) return { t: 'lit', v: Number(this.number()) };
    if (/[A-Za-z_]/.test(c)) {
      const name = this.identifier();
      if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
      if (name === 'null') return { t: 'lit', v: null };
      if (name === 'for') this.fail('for expressions are not supported');
      this.space();
      if (this.src[this.pos] === '(') return this.call(name);
      return { t: 'var', name };
    }
    return this.fail(`unexpected "${c}"`);
  }

  private call(fn: string): Expr {
    this.pos++;
    const args: Expr[] = [];
    let expand = false;
    this.space();
    while (this.src[this.pos] !== ')') {
      args.push(this.expression());
      this.space();
      if (this.src.startsWith('...', this.pos)) {
        expand = true;
        this.pos += 3;
        this.space();
      }
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== ')') this.fail(`expected "," or ")" in the call to ${fn}`);
      this.space();
    }
    this.pos++;
    return { t: 'call', fn, args, expand };
  }

  private tuple(): Expr {
    this.pos++;
    const items: Expr[] = [];
    this.space();
    if (/^for\b/.test(this.src.slice(this.pos))) this.fail('for expressions are not supported');
    while (this.src[this.pos] !== ']') {
      items.push(this.expression());
      this.space();
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== ']') this.fail('expected "," or "]" in a list');
      this.space();
    }
    this.pos++;
    return { t: 'tuple', items };
  }

  private object(): Expr {
    this.pos++;
    const entries: Array<readonly [Expr, Expr]> = [];
    this.space();
    if (/^for\b/.test(this.src.slice(this.pos))) this.fail('for expressions are not supported');
    while (this.src[this.pos] !== '}') {
      const key: Expr = /[A-Za-z_]/.test(this.src[this.pos] ?? '') ? { t: 'lit', v: this.identifier() } : this.expression();
      this.space();
      if (this.src[this.pos] === '=' || this.src[this.pos] === ':') this.pos++;
      else this.fail('expected "=" after an object key');
      entries.push([key, this.expression()]);
      this.space();
      if (this.src[this.pos] === ',') this.pos++;
      this.space();
    }
    this.pos++;
    return { t: 'object', entries };
  }

  private identifier(): string {
    const m = /^[A-Za-z_][\w-]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  private number(): string {
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (!m) this.fail('expected a number');
    this.pos += m[0].length;
    return m[0];
  }

  private escape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
    if (next !== undefined && simple[next] !== undefined) return simple[next];
    if (next === 'u') {
      const hex = this.src.slice(this.pos, this.pos + 4);
      this.pos += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    return `\\${next ?? ''}`;
  }

  private space(): void {
    for (;;) {
      const m = /^(?:\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(this.src.slice(this.pos));
      if (!m) return;
      this.pos += m[0].length;
    }
  }

  private expect(token: string): void {
    if (!this.src.startsWith(token, this.pos)) this.fail(`expected "${token}"`);
    this.pos += token.length;
  }

  private fail(message: string): never {
    throw new Unresolvable(`${message} (in \`${this.src}\`)`);
  }
}
