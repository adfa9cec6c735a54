/**
 * Plain values printed as TypeScript source in a given style (quotes, indentation, trailing
 * commas): objects and arrays on one line when they fit, else one entry a line; keys bare when
 * they are identifiers; `code()` for expressions such as `ref('base')` and `commented()` for a
 * line comment above an entry. Used to write new configs (init, import) and to insert into
 * existing ones (add), in the style the file already has. Pure.
 */

export interface CodeStyle {
  readonly quote: "'" | '"';
  /** One level of indentation: two spaces, four, a tab. */
  readonly indent: string;
  /** A comma after the last entry of a multi-line object or array. */
  readonly trailingComma: boolean;
  /** Longest line before an object or array is broken over several lines. */
  readonly width: number;
}

export const DEFAULT_STYLE: CodeStyle = { quote: "'", indent: '  ', trailingComma: true, width: 100 };

/** A TypeScript expression written as is. */
export interface TsCode {
  readonly $code: string;
}

/** A value with a comment line (or lines) above it; without a value, the comment alone. */
export interface TsCommented {
  readonly $comment: string;
  readonly $value?: TsValue;
}

export type TsValue = string | number | boolean | TsCode | TsCommented | readonly TsValue[] | { readonly [key: string]: TsValue | undefined };

export const code = (text: string): TsCode => ({ $code: text });

export const commented = (comment: string, value: TsValue): TsCommented => ({ $comment: comment, $value: value });

/** Comment lines standing alone among an object's entries or an array's elements. */
export const comment = (text: string): TsCommented => ({ $comment: text });

export function isCode(value: unknown): value is TsCode {
  return typeof value === 'object' && value !== null && typeof (value as { $code?: unknown }).$code === 'string';
}

function isCommented(value: unknown): value is TsCommented {
  return typeof value === 'object' && value !== null && typeof (value as { $comment?: unknown }).$comment === 'string';
}

/** A string literal in the style's quotes. */
export function quoteString(text: string, style: Pick<CodeStyle, 'quote'>): string {
  const json = JSON.stringify(text).slice(1, -1);
  if (style.quote === '"') return `"${json}"`;
  return `'${json.replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** An object key: bare when it is an identifier, quoted otherwise. */
export function printKey(key: string, style: Pick<CodeStyle, 'quote'>): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoteString(key, style);
}

/**
 * `value` as source. `level` is the indentation level of the line the value starts on and `column`
 * how much of that line is already used, so that nested values know whether they fit.
 */
export function printValue(value: TsValue, style: CodeStyle, level = 0, column = 0): string {
  if (isCommented(value)) return value.$value === undefined ? '' : printValue(value.$value, style, level, column);
  if (typeof value === 'string') return quoteString(value, style);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isCode(value)) return value.$code;
  type Entry = { comment?: string; alone?: boolean; text: (level: number, column: number) => string };
  const entries: Entry[] = Array.isArray(value)
    ? (value as readonly TsValue[]).map((v) => ({ ...commentOf(v), text: (l, c) => printValue(v, style, l, c) }))
    : Object.entries(value)
        .filter((e): e is [string, TsValue] => e[1] !== undefined)
        .map(([k, v]) => {
          // `{ platforms }` rather than `{ platforms: platforms }`.
          if (isCode(v) && v.$code === k && /^[A-Za-z_$][\w$]*$/.test(k)) return { text: () => k };
          const key = `${printKey(k, style)}: `;
          return { ...commentOf(v), text: (l, c) => `${key}${printValue(v, style, l, c + key.length)}` };
        });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const pad = Array.isArray(value) ? '' : ' ';
  const flat = `${open}${pad}${entries.map((e) => e.text(level, 0)).join(', ')}${pad}${close}`;
  const last = entries.findLastIndex((e) => !e.alone);
  if (!flat.includes('\n') && entries.every((e) => e.comment === undefined) && column + flat.length <= style.width - level * style.indent.length) {
    return flat;
  }
  const inner = style.indent.repeat(level + 1);
  const lines = entries.map((e, i) => {
    const comment = e.comment === undefined ? [] : e.comment.split('\n').map((c) => `${inner}// ${c}`.trimEnd());
    if (e.alone) return comment.join('\n');
    const comma = i < last || style.trailingComma ? ',' : '';
    return [...comment, `${inner}${e.text(level + 1, 0)}${comma}`].join('\n');
  });
  return `${open}\n${lines.join('\n')}\n${style.indent.repeat(level)}${close}`;
}

function commentOf(value: TsValue): { comment?: string; alone?: boolean } {
  if (!isCommented(value)) return {};
  return value.$value === undefined ? { comment: value.$comment, alone: true } : { comment: value.$comment };
}
