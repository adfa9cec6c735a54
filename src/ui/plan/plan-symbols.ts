/**
 * What `plan` says will happen to each step, Terraform-style: a symbol in a colour in front of the
 * line, and a legend of the symbols used. v1 plans every step (`+`); an incremental plan marks
 * steps to redo or already up to date with the other actions. Pure.
 */
import type { Style } from '../color.js';

export type PlanAction = 'create' | 'rebuild' | 'copy' | 'retag' | 'update' | 'unchanged';

export interface ActionLook {
  readonly symbol: string;
  readonly word: string;
  readonly style: (style: Style) => (text: string) => string;
}

export const PLAN_ACTIONS: Readonly<Record<PlanAction, ActionLook>> = {
  create: { symbol: '+', word: 'create', style: (s) => s.green },
  rebuild: { symbol: '~', word: 'rebuild', style: (s) => s.yellow },
  // Incremental plans: what is current somewhere is copied or retagged instead of rebuilt.
  copy: { symbol: '→', word: 'copy', style: (s) => s.cyan },
  retag: { symbol: '~', word: 'retag', style: (s) => s.yellow },
  update: { symbol: '~', word: 'update', style: (s) => s.yellow },
  unchanged: { symbol: '=', word: 'up to date', style: (s) => s.dim },
};

/** `Symbols: + create  ~ rebuild`: only the actions the plan uses, in table order. */
export function actionLegend(used: ReadonlySet<PlanAction>, style: Style): string | undefined {
  const shown = (Object.keys(PLAN_ACTIONS) as PlanAction[]).filter((a) => used.has(a));
  if (shown.length === 0) return undefined;
  const parts = shown.map((a) => `${PLAN_ACTIONS[a].style(style)(PLAN_ACTIONS[a].symbol)} ${PLAN_ACTIONS[a].word}`);
  return `${style.dim('Symbols:')} ${parts.join('  ')}`;
}
