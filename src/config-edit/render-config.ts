/**
 * A new `multiarch.config.ts` from the template in `templates/` and a draft of its contents: the
 * doc comment's lines, registries and images as plain values (printed by print-ts.ts), and any
 * declarations they use. Shared by `init` and the importers. Pure.
 */
import { DEFAULT_STYLE, printValue, type CodeStyle, type TsValue } from './print-ts.js';

export interface ConfigDraft {
  /** The doc comment's opening lines (what this config is, where it came from). */
  readonly title: readonly string[];
  readonly registries: Readonly<Record<string, TsValue>>;
  readonly images: Readonly<Record<string, TsValue>>;
  /** Top-level statements before `export default` (e.g. `const tag = …`). */
  readonly preamble?: readonly string[];
  /** Named imports from 'multiarch' besides defineConfig. */
  readonly imports?: readonly string[];
}

export const TEMPLATE_FILE = 'multiarch.config.ts.tmpl';

export function renderConfig(template: string, draft: ConfigDraft, style: CodeStyle = DEFAULT_STYLE): string {
  const vars: Record<string, string> = {
    title: draft.title.map((line) => ` * ${line}`.trimEnd()).join('\n'),
    imports: ['defineConfig', ...(draft.imports ?? [])].join(', '),
    preamble: draft.preamble?.length ? `\n${draft.preamble.join('\n')}\n` : '',
    registries: printValue(draft.registries, style, 1, 'registries: '.length),
    images: printValue(draft.images, style, 1, 'images: '.length),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`template placeholder ${whole} has no value`);
    return value;
  });
}
